package dev.wizmesh.order.core;

import dev.wizmesh.order.catalog.ProductCatalogClient;
import dev.wizmesh.order.db.OrderDao;
import dev.wizmesh.order.db.OrderLineRow;
import dev.wizmesh.order.events.OrderEvents;
import dev.wizmesh.order.transaction.PlaceOrder;
import dev.wizmesh.order.transaction.TransactionsFactory;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.persistence.tenancy.TenantTransactions;
import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.transactions.TransactionDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Placing an order: prices and names come from product-svc (over gRPC), never from the client;
 * the order is stored PENDING with its lines and total, its {@code order.created} event (outbox) and the distributed
 * transaction (saga or TCC) that reserves the stock and takes the payment, and that turns the
 * order CONFIRMED or CANCELLED. Idempotent by the buyer's key: a retry finds the first order
 * (even one racing it), a different body under the same key is a 409.
 */
public final class OrderPlacement {
    private static final Logger LOG = LoggerFactory.getLogger(OrderPlacement.class);

    private final Database database;
    private final ProductCatalogClient catalog;
    private final TransactionsFactory.Built transactions;
    private final OrderEvents events;

    public OrderPlacement(Database database, ProductCatalogClient catalog, TransactionsFactory.Built transactions, OrderEvents events) {
        this.database = database;
        this.catalog = catalog;
        this.transactions = transactions;
        this.events = events;
    }

    /** The order and whether it was placed by an earlier request with the same key. */
    public record Placed(Order order, boolean replayed) {
    }

    public Placed place(OrderRequest request, String idempotencyKey) {
        UUID tenantId = TenantTransactions.currentTenant();
        UUID buyer = userId();
        String fingerprint = request.fingerprint();

        // a retry must not even reach product-svc again
        Optional<Placed> earlier = findEarlier(tenantId, buyer, idempotencyKey, fingerprint);
        if (earlier.isPresent()) {
            return earlier.get();
        }

        ProductCatalogClient.Lookup lookup = catalog.products(request.lines().stream().map(OrderRequest.Line::productId).toList());
        requireAllFound(request, lookup);
        Map<UUID, PricedProduct> products = lookup.found();
        String currency = currency(products);
        UUID orderId = UUID.randomUUID();
        List<OrderLineRow> lines = new ArrayList<>();
        long total = 0;
        for (OrderRequest.Line line : request.lines()) {
            PricedProduct product = products.get(line.productId());
            lines.add(new OrderLineRow(orderId, lines.size() + 1, product.id(), product.name(), line.quantity(), product.priceCents()));
            total = Math.addExact(total, Math.multiplyExact(product.priceCents(), line.quantity()));
        }
        long totalCents = total;
        TransactionDefinition<PlaceOrder> definition = transactions.placeOrder()
                .forMode(request.mode() != null ? request.mode() : transactions.defaultMode());
        PlaceOrder data = new PlaceOrder(orderId, buyer, RequestContext.current().map(RequestContext::requestId).orElse(null),
                totalCents, currency, request.lines().stream().map(l -> new PlaceOrder.Line(l.productId(), l.quantity())).toList());
        // the order and its distributed transaction are stored together: neither exists without the other
        Optional<UUID> transactionId = database.tenants().inTenant(tenantId, h -> {
            OrderDao orders = h.attach(OrderDao.class);
            if (orders.insert(orderId, tenantId, buyer, totalCents, currency, idempotencyKey, fingerprint).isEmpty()) {
                return Optional.<UUID>empty(); // a concurrent request with the key won
            }
            orders.insertLines(tenantId, lines);
            events.announce(h, OrderEvents.CREATED, orderId);
            return Optional.of(transactions.coordinator().begin(h, tenantId, definition, orderId.toString(), data));
        });
        if (transactionId.isEmpty()) {
            return findEarlier(tenantId, buyer, idempotencyKey, fingerprint).orElseThrow();
        }
        awaitOutcome(tenantId, transactionId.get());
        return new Placed(database.tenants().inTenant(tenantId, h -> {
            OrderDao orders = h.attach(OrderDao.class);
            return Order.of(orders.find(orderId).orElseThrow(), orders.lines(List.of(orderId)));
        }), false);
    }

    /**
     * Drives the transaction and waits for it up to {@code transactions.waitForOutcome}: most
     * orders are settled by then (201); a slow one is answered PENDING (202) and goes on in the
     * background, and whatever happens to this process, recovery finishes it.
     */
    private void awaitOutcome(UUID tenantId, UUID transactionId) {
        try {
            transactions.coordinator().drive(tenantId, transactionId)
                    .get(transactions.waitForOutcome().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            // answered PENDING; the run goes on
        } catch (ExecutionException e) {
            LOG.warn("transaction {} stopped early ({}); recovery resumes it", transactionId, e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Optional<Placed> findEarlier(UUID tenantId, UUID buyer, String key, String fingerprint) {
        return database.tenants().inTenant(tenantId, h -> {
            OrderDao orders = h.attach(OrderDao.class);
            return orders.findByKey(buyer, key).map(row -> {
                if (!row.requestHash().equals(fingerprint)) {
                    throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED, Map.of("idempotencyKey", key));
                }
                return new Placed(Order.of(row, orders.lines(List.of(row.id()))), true);
            });
        });
    }

    /** Another tenant's product is as unknown as one that never existed: 422 on the line's field. */
    private static void requireAllFound(OrderRequest request, ProductCatalogClient.Lookup lookup) {
        List<Map<String, Object>> problems = new ArrayList<>();
        for (int i = 0; i < request.lines().size(); i++) {
            if (lookup.missing().contains(request.lines().get(i).productId())) {
                problems.add(Map.of("field", "items[" + i + "].productId", "message", "no such product"));
            }
        }
        if (!problems.isEmpty()) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, Map.of("count", problems.size(), "fields", problems));
        }
    }

    private static String currency(Map<UUID, PricedProduct> products) {
        TreeSet<String> currencies = new TreeSet<>();
        products.values().forEach(p -> currencies.add(p.currency()));
        if (currencies.size() > 1) {
            throw new ApiException(ErrorCode.MIXED_CURRENCIES, Map.of("currencies", String.join(", ", currencies)));
        }
        return currencies.first();
    }

    static UUID userId() {
        String user = RequestContext.requireUserId();
        try {
            return UUID.fromString(user);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason", "X-User-ID is not a UUID"));
        }
    }
}
