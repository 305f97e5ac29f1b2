package dev.wizmesh.system;

import static dev.wizmesh.system.JsonCalls.with;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wizmesh.system.JsonCalls.Reply;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.ServiceProcesses;
import dev.wizmesh.testing.ServiceProcesses.Running;
import java.net.URI;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * cron-svc's job types doing their real work against the domain services, all as processes found
 * through the registry: {@code report-daily-sales} reads the day's confirmed orders from order-svc
 * into its report, {@code expire-pending-orders} asks order-svc to expire old PENDING orders,
 * {@code outbox-cleanup} (a system job, run by an operator) runs the cleanup task on every service
 * instance's admin port, and
 * {@code http-call} calls a service's API as the job's tenant.
 */
class CronJobsSystemIT {
    private static final String NEVER = "0 0 0 1 1 ? 2099";
    private final JsonCalls calls = new JsonCalls();

    @Test
    void theJobTypesActOnTheServicesTheyAreFor() throws Exception {
        try (ServiceProcesses stack = new ServiceProcesses(PostgresExtension.sharedServer())) {
            stack.startRegistry();
            Running users = stack.startService("user-svc");
            Running products = stack.startService("product-svc");
            Running orders = stack.startService("order-svc");
            Running cron = stack.startService("cron-svc", Map.of("CRON_SVC_REDIS", "false"));

            Reply tenant = calls.call("POST", users.url("/api/v1/tenants"), Map.of(), Map.of("name", "Cron Co",
                    "adminEmail", "admin@cron.test", "adminPassword", "correct horse battery"));
            assertThat(tenant.status()).as(tenant.body().toString()).isEqualTo(201);
            Map<String, String> admin = Map.of("X-Tenant-ID", tenant.body().get("tenantId").asText(),
                    "X-User-ID", tenant.body().get("adminUserId").asText(), "X-User-Roles", "admin");
            assertThat(calls.call("POST", users.url("/api/v1/users/" + admin.get("X-User-ID") + "/wallet/credits"),
                    with(admin, "Idempotency-Key", "credit-1"), Map.of("amountCents", 100_000)).status()).isEqualTo(201);
            Reply widget = calls.call("POST", products.url("/api/v1/products"), admin, Map.of("sku", "WID-1", "name", "Widget",
                    "description", "A widget", "priceCents", 1250, "currency", "EUR", "stock", 10));
            String widgetId = widget.body().get("id").asText();
            for (int quantity : new int[] {2, 3}) {
                Reply order = calls.call("POST", orders.url("/api/v1/orders"), with(admin, "Idempotency-Key", UUID.randomUUID().toString()),
                        Map.of("items", List.of(Map.of("productId", widgetId, "quantity", quantity))));
                assertThat(order.body().path("status").asText()).as(order.body().toString()).isEqualTo("CONFIRMED");
            }

            // report-daily-sales for today (daysAgo 0): the two confirmed orders, into cron-svc's report
            JsonNode report = runOnce(cron, admin, "sales-today", "report-daily-sales", Map.of("daysAgo", 0));
            assertThat(report.path("result").asText()).contains("2 orders, 5 units, 6250 EUR");
            String today = LocalDate.now(ZoneOffset.UTC).toString();
            Reply sales = calls.call("GET", cron.url("/api/v1/reports/daily-sales?from=" + today + "&to=" + today), admin, null);
            assertThat(sales.status()).isEqualTo(200);
            JsonNode day = sales.body().path("days").get(0);
            assertThat(day.path("day").asText()).isEqualTo(today);
            assertThat(day.path("orders").asInt()).isEqualTo(2);
            assertThat(day.path("units").asLong()).isEqualTo(5);
            assertThat(day.path("amountMinor").asLong()).isEqualTo(6250);
            assertThat(day.path("currency").asText()).isEqualTo("EUR");
            assertThat(day.path("fireId").asText()).isEqualTo(report.path("fireId").asText());

            // expire-pending-orders: nothing is PENDING here, and the answer says so
            JsonNode expired = runOnce(cron, admin, "expire", "expire-pending-orders", Map.of("olderThanMinutes", 1));
            assertThat(expired.path("result").asText()).contains("\"expired\":0").contains("\"olderThanMinutes\":1");

            // outbox-cleanup is a system job (config/cron-svc.yml's systemJobs): no tenant may make one; an
            // operator runs it now through the admin port, and it cleans every instance of each service
            Reply refused = calls.call("POST", cron.url("/api/v1/jobs"), admin, Map.of("name", "cleanup", "type", "outbox-cleanup",
                    "cron", NEVER));
            assertThat(refused.status()).isEqualTo(422);
            URI systemJobs = URI.create("http://127.0.0.1:" + cron.adminPort() + "/tasks/system-jobs");
            assertThat(calls.call("POST", URI.create(systemJobs + "?trigger=outbox-cleanup"), Map.of(), null).status()).isEqualTo(200);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            JsonNode cleanup = null;
            while (cleanup == null) {
                JsonNode runs = calls.call("POST", systemJobs, Map.of(), null).body().path("systemJobs").get(0).path("runs");
                if (runs.size() > 0 && !"RUNNING".equals(runs.get(0).path("status").asText())) {
                    cleanup = runs.get(0);
                }
                assertThat(System.nanoTime()).as("the system job's run").isLessThan(deadline);
                Thread.sleep(200);
            }
            assertThat(cleanup.path("status").asText()).as(cleanup.toString()).isEqualTo("SUCCEEDED");
            assertThat(cleanup.path("cause").asText()).isEqualTo("MANUAL");
            assertThat(cleanup.path("result").asText()).contains("order-svc@").contains("product-svc@").contains("user-svc@")
                    .contains("outboxDeleted").contains("processedDeleted");

            // http-call: a service's API, as the job's tenant (it sees the tenant's product)
            JsonNode call = runOnce(cron, admin, "list-products", "http-call",
                    Map.of("service", "product-svc", "path", "/api/v1/products/" + widgetId));
            assertThat(call.path("result").asText()).contains("HTTP 200 from product-svc@").contains("Widget");
        }
    }

    /** Creates a job that never fires by itself, triggers it, and returns its run once it SUCCEEDED. */
    private JsonNode runOnce(Running cron, Map<String, String> admin, String name, String type, Map<String, Object> params)
            throws Exception {
        Map<String, Object> job = new HashMap<>(Map.of("name", name, "type", type, "cron", NEVER, "params", params));
        Reply created = calls.call("POST", cron.url("/api/v1/jobs"), admin, job);
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        assertThat(calls.call("POST", cron.url("/api/v1/jobs/" + name + "/trigger"), admin, null).status()).isEqualTo(202);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            JsonNode runs = calls.call("GET", cron.url("/api/v1/jobs/" + name + "/runs"), admin, null).body().path("runs");
            if (runs.size() > 0 && !"RUNNING".equals(runs.get(0).path("status").asText())) {
                assertThat(runs.get(0).path("status").asText()).as(runs.get(0).toString()).isEqualTo("SUCCEEDED");
                return runs.get(0);
            }
            assertThat(System.nanoTime()).as("the run of " + name).isLessThan(deadline);
            Thread.sleep(200);
        }
    }
}
