package dev.wizmesh.transactions.fence;

import dev.wizmesh.persistence.Database;
import java.util.Map;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * A participant's business work, as a stock service would write it: Try reserves lines, Confirm
 * sells them, Cancel releases them. Deliberately naive: none of these checks whether it already
 * ran. Making repeats harmless is the fence's job, and these tests prove it does.
 * Every step also writes a {@code test_work_log} row in its transaction, so the tests can count
 * the steps that committed.
 */
final class StockParticipant {
    private final Database database;

    StockParticipant(Database database) {
        this.database = database;
    }

    void addStock(UUID tenant, String product, int available) {
        database.tenants().inTenant(tenant, h -> h.createUpdate(
                        "INSERT INTO test_stock (tenant_id, product, available) VALUES (:t, :p, :a)")
                .bind("t", tenant).bind("p", product).bind("a", available).execute());
    }

    /** Reserves the lines in the order given; a line without enough stock throws, after the earlier lines were written. */
    BranchWork reserve(BranchId id, Map<String, Integer> lines) {
        return h -> {
            for (Map.Entry<String, Integer> line : lines.entrySet()) {
                int updated = h.createUpdate("UPDATE test_stock SET available = available - :q, reserved = reserved + :q "
                                + "WHERE product = :p AND available >= :q")
                        .bind("p", line.getKey()).bind("q", line.getValue()).execute();
                if (updated == 0) {
                    throw new IllegalStateException("not enough " + line.getKey());
                }
                h.createUpdate("INSERT INTO test_reservations (tenant_id, xid, branch, product, quantity) "
                                + "VALUES (:t, :x, :b, :p, :q)")
                        .bind("t", id.tenantId()).bind("x", id.xid()).bind("b", id.branch())
                        .bind("p", line.getKey()).bind("q", line.getValue()).execute();
            }
            log(h, id, "try");
        };
    }

    /** Sells what the branch reserved. */
    BranchWork sell(BranchId id) {
        return h -> {
            h.createUpdate("UPDATE test_stock s SET reserved = s.reserved - r.quantity, sold = s.sold + r.quantity "
                            + "FROM test_reservations r WHERE r.product = s.product AND r.xid = :x AND r.branch = :b")
                    .bind("x", id.xid()).bind("b", id.branch()).execute();
            deleteReservations(h, id);
            log(h, id, "confirm");
        };
    }

    /** Puts back what the branch reserved. */
    BranchWork release(BranchId id) {
        return h -> {
            h.createUpdate("UPDATE test_stock s SET reserved = s.reserved - r.quantity, available = s.available + r.quantity "
                            + "FROM test_reservations r WHERE r.product = s.product AND r.xid = :x AND r.branch = :b")
                    .bind("x", id.xid()).bind("b", id.branch()).execute();
            deleteReservations(h, id);
            log(h, id, "cancel");
        };
    }

    /** available/reserved/sold of one product. */
    String stock(UUID tenant, String product) {
        return database.tenants().inTenant(tenant, h -> h.createQuery(
                        "SELECT available || '/' || reserved || '/' || sold FROM test_stock WHERE product = :p")
                .bind("p", product).mapTo(String.class).one());
    }

    int reservations(UUID tenant) {
        return database.tenants().inTenant(tenant, h -> h.createQuery("SELECT count(*) FROM test_reservations")
                .mapTo(Integer.class).one());
    }

    /** How many times the step committed for the branch. */
    int steps(BranchId id, String step) {
        return database.tenants().inTenant(id.tenantId(), h -> h.createQuery(
                        "SELECT count(*) FROM test_work_log WHERE xid = :x AND branch = :b AND step = :s")
                .bind("x", id.xid()).bind("b", id.branch()).bind("s", step).mapTo(Integer.class).one());
    }

    private static void deleteReservations(Handle h, BranchId id) {
        h.createUpdate("DELETE FROM test_reservations WHERE xid = :x AND branch = :b")
                .bind("x", id.xid()).bind("b", id.branch()).execute();
    }

    private static void log(Handle h, BranchId id, String step) {
        h.createUpdate("INSERT INTO test_work_log (tenant_id, xid, branch, step) VALUES (:t, :x, :b, :s)")
                .bind("t", id.tenantId()).bind("x", id.xid()).bind("b", id.branch()).bind("s", step).execute();
    }
}
