package dev.wizmesh.messaging.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wizmesh.messaging.MessagingDatabase;
import dev.wizmesh.messaging.event.Event;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.testing.PostgresExtension;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The outbox row and the business row it announces commit or roll back together. */
class OutboxIT {
    @RegisterExtension
    static final PostgresExtension POSTGRES = new PostgresExtension();

    static MessagingDatabase db;
    static Database database;
    final Outbox outbox = new Outbox(Clock.systemUTC());
    UUID tenant;

    @BeforeAll
    static void open() throws Exception {
        db = MessagingDatabase.open(POSTGRES.database(), 2);
        database = db.database();
    }

    @AfterAll
    static void close() throws Exception {
        db.close();
    }

    @BeforeEach
    void empty() throws Exception {
        db.truncate("outbox", "test_orders");
        tenant = UUID.randomUUID();
    }

    @Test
    void theEventCommitsWithTheBusinessChange() throws Exception {
        Event event = database.tenants().inTenant(tenant, h -> {
            h.execute("INSERT INTO test_orders (tenant_id, id, status) VALUES (?, 'o-1', 'NEW')", tenant);
            return outbox.add(h, tenant, "o-1", "order.created", Map.of("orderId", "o-1", "total", 1250));
        });

        assertThat(db.count("SELECT count(*) FROM test_orders WHERE id = 'o-1'")).isEqualTo(1);
        assertThat(db.count("SELECT count(*) FROM outbox WHERE id = '" + event.id() + "' AND sent_at IS NULL AND attempts = 0"
                + " AND aggregate_id = 'o-1' AND type = 'order.created' AND tenant_id = '" + tenant + "'"
                + " AND payload->'data'->>'total' = '1250' AND payload->>'tenantId' = '" + tenant + "'")).isEqualTo(1);
        assertThat(event.traceparent()).isNull(); // no span was current
    }

    @Test
    void theEventRollsBackWithTheBusinessChange() throws Exception {
        assertThatThrownBy(() -> database.tenants().inTenant(tenant, h -> {
            h.execute("INSERT INTO test_orders (tenant_id, id, status) VALUES (?, 'o-2', 'NEW')", tenant);
            outbox.add(h, tenant, "o-2", "order.created", Map.of("orderId", "o-2"));
            throw new IllegalStateException("payment refused");
        })).hasMessage("payment refused");

        assertThat(db.count("SELECT count(*) FROM test_orders")).isZero();
        assertThat(db.count("SELECT count(*) FROM outbox")).isZero();
    }

    @Test
    void anEventForAnotherTenantIsRefusedByRowLevelSecurity() throws Exception {
        UUID other = UUID.randomUUID();
        assertThatThrownBy(() -> database.tenants().inTenant(tenant,
                h -> outbox.add(h, other, "o-3", "order.created", Map.of())))
                .hasMessageContaining("row-level security");
        assertThat(db.count("SELECT count(*) FROM outbox")).isZero();
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        assertThatThrownBy(() -> database.tenants().inTenant(tenant,
                h -> outbox.add(h, tenant, "o-4", "Order Created!", Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("event type must be dotted lower-case words");
        assertThatThrownBy(() -> database.tenants().inTenant(tenant,
                h -> outbox.add(h, tenant, " ", "order.created", Map.of())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("aggregateId must be 1 to 200 characters");
        assertThatThrownBy(() -> outbox.add(null, tenant, "o-4", "order.created", Map.of()))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("a handle of the caller's transaction is required");
    }
}
