package dev.wizmesh.bench.transactions.monolith;

import dev.wizmesh.persistence.Database;
import dev.wizmesh.persistence.tenancy.TenantTransactions;
import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Placing an order the monolith's way: in one local transaction, read the prices, take the
 * stock of every line (in product-id order, so two orders never wait on each other's rows in a
 * cycle), debit the wallet with a ledger entry, store the order CONFIRMED. Not enough stock or
 * money rolls all of it back, and the order is stored CANCELLED with the reason, as order-svc does.
 */
public final class SingleDatabaseOrders {
    private final Database database;

    public SingleDatabaseOrders(Database database) {
        this.database = database;
    }

    public record Line(UUID productId, int quantity) {
    }

    /** What the buyer sees: the order settled, with order-svc's {@code cancelReason} codes. */
    public record PlacedOrder(UUID id, String status, String cancelReason, long totalCents, String currency) {
    }

    /** Thrown inside the transaction to roll it back. */
    private static final class Refused extends RuntimeException {
        private final String reason;

        Refused(String reason) {
            super(reason, null, false, false);
            this.reason = reason;
        }
    }

    public PlacedOrder place(List<Line> lines, String idempotencyKey) {
        UUID tenant = TenantTransactions.currentTenant();
        UUID buyer = buyer();
        TenantTransactions tenants = database.tenants();
        UUID orderId = UUID.randomUUID();
        List<SingleDatabaseDao.LineRow> rows = new ArrayList<>();
        long[] total = {0};
        String[] currency = {null};
        try {
            return tenants.inTenant(tenant, h -> {
                SingleDatabaseDao dao = h.attach(SingleDatabaseDao.class);
                var earlier = dao.findByKey(buyer, idempotencyKey);
                if (earlier.isPresent()) {
                    return view(earlier.get());
                }
                Map<UUID, SingleDatabaseDao.PricedProduct> products = dao.prices(lines.stream().map(Line::productId).toList())
                        .stream().collect(Collectors.toMap(SingleDatabaseDao.PricedProduct::id, Function.identity()));
                for (Line line : lines) {
                    SingleDatabaseDao.PricedProduct product = products.get(line.productId());
                    if (product == null) {
                        throw new ApiException(ErrorCode.VALIDATION_FAILED, Map.of("count", 1, "fields", List.of(Map.of(
                                "field", "items[" + rows.size() + "].productId", "message", "no such product"))));
                    }
                    rows.add(new SingleDatabaseDao.LineRow(orderId, rows.size() + 1, tenant, product.id(), product.name(),
                            line.quantity(), product.priceCents()));
                    total[0] = Math.addExact(total[0], Math.multiplyExact(product.priceCents(), line.quantity()));
                    currency[0] = product.currency();
                }
                for (Line line : lines.stream().sorted(Comparator.comparing(Line::productId)).toList()) {
                    if (dao.takeStock(line.productId(), line.quantity()) == 0) {
                        throw new Refused("OUT_OF_STOCK");
                    }
                }
                long balanceAfter = dao.debit(buyer, total[0]).orElseThrow(() -> new Refused("INSUFFICIENT_FUNDS"));
                dao.recordDebit(UUID.randomUUID(), tenant, buyer, total[0], "order-" + orderId, balanceAfter);
                if (dao.insertOrder(orderId, tenant, buyer, "CONFIRMED", null, total[0], currency[0], idempotencyKey) == 0) {
                    throw new Refused(null); // a request racing this one with the same key won: answer with its order
                }
                dao.insertLines(rows);
                return new PlacedOrder(orderId, "CONFIRMED", null, total[0], currency[0]);
            });
        } catch (Refused refused) {
            return tenants.inTenant(tenant, h -> {
                SingleDatabaseDao dao = h.attach(SingleDatabaseDao.class);
                if (refused.reason != null
                        && dao.insertOrder(orderId, tenant, buyer, "CANCELLED", refused.reason, total[0], currency[0], idempotencyKey) == 1) {
                    dao.insertLines(rows);
                    return new PlacedOrder(orderId, "CANCELLED", refused.reason, total[0], currency[0]);
                }
                return view(dao.findByKey(buyer, idempotencyKey).orElseThrow());
            });
        }
    }

    /** The caller; an X-User-ID that is not a UUID is a 400, as in order-svc. */
    private static UUID buyer() {
        String user = RequestContext.requireUserId();
        try {
            return UUID.fromString(user);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason", "X-User-ID is not a UUID"));
        }
    }

    private static PlacedOrder view(SingleDatabaseDao.OrderRow row) {
        return new PlacedOrder(row.id(), row.status(), row.statusReason(), row.totalCents(), row.currency());
    }
}
