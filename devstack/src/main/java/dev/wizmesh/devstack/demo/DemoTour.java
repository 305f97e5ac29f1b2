package dev.wizmesh.devstack.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code ./run.sh demo}: a walk through the API of a running system, through the gateway only,
 * as a learner would do it with curl. Each step prints the curl command that does the same, the
 * status and the interesting part of the answer, and checks it: a step that does not answer as
 * expected stops the tour with exit code 1 (the end-to-end test runs this tour).
 *
 * <p>The tour: a new tenant and its admin (public sign-up), a token (login), who am I, three
 * products, an order placed with an {@code Idempotency-Key} and the same order sent again (the
 * replay: same order, {@code Idempotent-Replayed: true}), its saga's log, an order by TCC, one cancelled for lack of stock, the tenant's orders, the wallet,
 * the orders' events on the other side of the broker, a scheduled job run now with its history and the report it wrote, a
 * member user who cannot create products (403), a request without a token (401) and one for
 * an order that does not exist (404, the one error shape).
 */
public final class DemoTour {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "correct horse battery";

    private final String gateway;
    private final PrintStream out;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private int step;
    /** How the printed curl commands name each token: $TOKEN (the admin's), $MEMBER_TOKEN. */
    private final Map<String, String> tokenNames = new LinkedHashMap<>();

    public DemoTour(String gateway, PrintStream out) {
        this.gateway = gateway.endsWith("/") ? gateway.substring(0, gateway.length() - 1) : gateway;
        this.out = out;
    }

    public static void main(String[] args) {
        String gateway = args.length > 0 ? args[0] : "http://localhost:8080";
        try {
            new DemoTour(gateway, System.out).run();
        } catch (TourFailure e) {
            System.out.println();
            System.out.println("The tour stopped: " + e.getMessage());
            System.exit(1);
        } catch (IOException e) {
            System.out.println("Cannot reach the gateway at " + gateway + " (" + e + "): is ./run.sh running?");
            System.exit(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            System.exit(1);
        }
    }

    /** Thrown when an answer is not what the tour expects. */
    static final class TourFailure extends RuntimeException {
        TourFailure(String message) {
            super(message);
        }
    }

    public void run() throws IOException, InterruptedException {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        out.println("wizmesh tour through the gateway at " + gateway + " (each step as curl, then what came back)");

        JsonNode tenant = call("A new tenant and its admin user (public: no token yet)", "POST", "/api/v1/tenants", null,
                Map.of(), Map.of("name", "Demo " + suffix, "adminEmail", "admin-" + suffix + "@demo.test",
                        "adminPassword", PASSWORD), 201).json();
        String tenantId = tenant.get("tenantId").asText();

        String token = call("Log in: the answer is an RS256 JWT the gateway verifies on every call", "POST",
                "/api/v1/auth/login", null, Map.of(), Map.of("tenantId", tenantId, "email", "admin-" + suffix + "@demo.test",
                        "password", PASSWORD), 200).json().get("accessToken").asText();
        tokenNames.put(token, "$TOKEN");
        out.println("   TOKEN=<accessToken>");

        String adminId = call("Who am I: the gateway turned the token into X-Tenant-ID/X-User-ID/X-User-Roles for user-svc",
                "GET", "/api/v1/users/me", token, Map.of(), null, 200).json().get("id").asText();
        call("Money in the admin's wallet (admin only), to pay for the orders below", "POST",
                "/api/v1/users/" + adminId + "/wallet/credits", token, Map.of("Idempotency-Key", "demo-credit-" + suffix),
                Map.of("amountCents", 20_000), 201);

        List<String> products = new ArrayList<>();
        String[][] catalogue = {{"WID-1", "Widget", "1250"}, {"GAD-2", "Gadget", "4999"}, {"GIZ-3", "Gizmo", "199"}};
        for (String[] p : catalogue) {
            products.add(call("A product in the catalogue (admin only): " + p[1], "POST", "/api/v1/products", token, Map.of(),
                    Map.of("sku", p[0], "name", p[1], "priceCents", Integer.parseInt(p[2]), "currency", "EUR", "stock", 100),
                    201).json().get("id").asText());
        }

        Map<String, Object> order = Map.of("items", List.of(
                Map.of("productId", products.get(0), "quantity", 2), Map.of("productId", products.get(2), "quantity", 5)));
        Reply placed = call("An order, placed by a saga: product-svc reserves the stock, user-svc takes the payment (gRPC)",
                "POST", "/api/v1/orders", token, Map.of("Idempotency-Key", "demo-order-1"), order, 201);
        String orderId = placed.json().get("id").asText();
        expect(placed.json().get("status").asText().equals("CONFIRMED"), "the order was not CONFIRMED: " + placed.body());
        Reply replay = call("The same order sent again with the same Idempotency-Key: the same order, not a second one",
                "POST", "/api/v1/orders", token, Map.of("Idempotency-Key", "demo-order-1"), order, 201);
        expect(replay.json().get("id").asText().equals(orderId), "the replay answered another order");
        expect("true".equals(replay.header("Idempotent-Replayed")), "the replay was not marked Idempotent-Replayed: true");
        JsonNode saga = call("The order's saga, step by step (what learners read: steps, attempts, errors)", "GET",
                "/api/v1/orders/" + orderId + "/transaction", token, Map.of(), null, 200).json();
        expect(saga.get("state").asText().equals("COMPLETED"), "the saga is " + saga.get("state"));

        Reply tcc = call("An order placed by TCC instead (\"mode\": \"tcc\"): Try both, then Confirm both", "POST",
                "/api/v1/orders", token, Map.of("Idempotency-Key", "demo-order-2"),
                Map.of("mode", "tcc", "items", List.of(Map.of("productId", products.get(1), "quantity", 1))), 201);
        expect(tcc.json().get("status").asText().equals("CONFIRMED"), "the TCC order was not CONFIRMED: " + tcc.body());
        Reply tooMany = call("An order for more than is in stock: its saga compensates, the order is CANCELLED (OUT_OF_STOCK)",
                "POST", "/api/v1/orders", token, Map.of("Idempotency-Key", "demo-order-3"),
                Map.of("items", List.of(Map.of("productId", products.get(2), "quantity", 500))), 201);
        expect("OUT_OF_STOCK".equals(tooMany.json().path("cancelReason").asText()), "expected OUT_OF_STOCK: " + tooMany.body());
        JsonNode page = call("The tenant's orders (an admin sees all of them; a member only their own)", "GET",
                "/api/v1/orders?limit=10", token, Map.of(), null, 200).json();
        expect(page.get("items").size() == 3, "expected 3 orders, got " + page.get("items").size());
        JsonNode wallet = call("The wallet after paying for two orders: 20000 - 5495 - 4999", "GET", "/api/v1/users/me/wallet",
                token, Map.of(), null, 200).json();
        expect(wallet.get("balanceCents").asLong() == 20_000 - (2 * 1250 + 5 * 199) - 4999, "unexpected balance: " + wallet);

        // events are asynchronous (outbox relay, broker, consumer): these two are asked until they show, up to 30 s
        JsonNode feed = callUntil("The orders' events, consumed by user-svc: the buyer's notification feed (order.created, "
                        + "order.confirmed, order.cancelled from order-svc's outbox, over the broker)", "/api/v1/users/me/notifications",
                token, answer -> answer.path("items").size() >= 6).json();
        expect(feed.get("items").size() == 6, "expected 6 notifications (3 created, 2 confirmed, 1 cancelled): " + feed);
        JsonNode widget = callUntil("Units sold, counted by product-svc from order.confirmed (the cancelled order counts nothing)",
                "/api/v1/products/" + products.get(0), token, answer -> answer.path("sold").asLong() >= 2).json();
        expect(widget.get("sold").asLong() == 2, "expected 2 widgets sold: " + widget);

        // a scheduled job on cron-svc: Quartz clustered on PostgreSQL runs each fire on one node only
        JsonNode job = call("A scheduled job (admin only): today's sales report every ten minutes, on cron-svc's clustered Quartz",
                "POST", "/api/v1/jobs", token, Map.of(), Map.of("name", "sales-so-far", "type", "report-daily-sales",
                        "cron", "0 */10 * * * ?", "params", Map.of("daysAgo", 0), "misfirePolicy", "FIRE_ONCE_NOW"), 201).json();
        expect(!job.path("nextFireTime").isNull(), "expected a next fire time: " + job);
        call("Run it now as well as on its schedule", "POST", "/api/v1/jobs/sales-so-far/trigger", token, Map.of(), null, 202);
        JsonNode runs = callUntil("Its run history: the fire id (its idempotency key), the node that ran it, the outcome",
                "/api/v1/jobs/sales-so-far/runs", token,
                answer -> answer.path("runs").size() > 0 && !"RUNNING".equals(answer.path("runs").get(0).path("status").asText())).json();
        expect("SUCCEEDED".equals(runs.path("runs").get(0).path("status").asText()), "expected the run to succeed: " + runs);
        JsonNode report = call("What the job wrote: the day's confirmed orders per currency, read from order-svc", "GET",
                "/api/v1/reports/daily-sales", token, Map.of(), null, 200).json();
        expect(report.path("days").size() == 1 && report.path("days").get(0).path("orders").asInt() == 2,
                "expected today's 2 confirmed orders: " + report);

        call("A member user (admin only)", "POST", "/api/v1/users", token, Map.of(),
                Map.of("email", "member-" + suffix + "@demo.test", "password", PASSWORD), 201);
        String memberToken = call("The member logs in", "POST", "/api/v1/auth/login", null, Map.of(),
                Map.of("tenantId", tenantId, "email", "member-" + suffix + "@demo.test", "password", PASSWORD), 200)
                .json().get("accessToken").asText();
        tokenNames.put(memberToken, "$MEMBER_TOKEN");
        out.println("   MEMBER_TOKEN=<accessToken>");
        call("A member may not create products: 403 in the one error shape", "POST", "/api/v1/products", memberToken, Map.of(),
                Map.of("sku", "NOPE-1", "name", "Nope", "priceCents", 1, "currency", "EUR", "stock", 1), 403);
        call("No token at all: the gateway answers 401 itself (the services never see the call)", "GET",
                "/api/v1/orders", null, Map.of(), null, 401);
        call("An order that does not exist: 404 with a code, the request id and the trace id", "GET",
                "/api/v1/orders/" + UUID.randomUUID(), token, Map.of(), null, 404);

        out.println();
        out.println("Tour complete: " + step + " calls, all answered as expected. Next: docs/tour.md"
                + " (kill an instance, trip a breaker, exceed a rate limit).");
    }

    /** What came back. */
    record Reply(int status, String body, Map<String, List<String>> headers) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new TourFailure("not JSON: " + body);
            }
        }

        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private Reply call(String what, String method, String path, String token, Map<String, String> headers,
                       Object body, int expected) throws IOException, InterruptedException {
        step++;
        out.println();
        out.printf("%d. %s%n", step, what);
        Map<String, String> all = new LinkedHashMap<>(headers);
        if (token != null) {
            all.put("Authorization", "Bearer " + token);
        }
        String json = body == null ? null : JSON.writeValueAsString(body);
        if (json != null) {
            all.put("Content-Type", "application/json");
        }
        out.println("   " + curl(method, path, all, json, token));
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(15))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        all.forEach(request::header);
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        Reply reply = new Reply(response.statusCode(), response.body(), response.headers().map());
        out.println("   → " + reply.status() + " " + abbreviate(reply.body()));
        if (reply.status() != expected) {
            throw new TourFailure("step " + step + " (" + method + " " + path + ") answered " + reply.status()
                    + ", expected " + expected + ": " + reply.body());
        }
        return reply;
    }

    /** A GET asked again, quietly, until {@code done} holds for its answer (up to 30 s), then once for the learner to see. */
    private Reply callUntil(String what, String path, String token, java.util.function.Predicate<JsonNode> done)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(15))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() == 200 && done.test(JSON.readTree(answer.body()))) {
                break;
            }
            Thread.sleep(250);
        }
        return call(what, "GET", path, token, Map.of(), null, 200);
    }

    private String curl(String method, String path, Map<String, String> headers, String json, String token) {
        StringBuilder c = new StringBuilder("curl -s");
        if (!method.equals("GET")) {
            c.append(" -X").append(method);
        }
        c.append(' ').append(gateway.replaceFirst("^http://", "")).append(path);
        headers.forEach((name, value) -> c.append(" -H '").append(name).append(": ")
                .append(name.equals("Authorization") ? "Bearer " + tokenNames.getOrDefault(token, "$TOKEN") : value).append('\''));
        if (json != null) {
            c.append(" -d '").append(json).append('\'');
        }
        return c.toString();
    }

    private static String abbreviate(String body) {
        String oneLine = body.replaceAll("\\s+", " ");
        return oneLine.length() > 220 ? oneLine.substring(0, 220) + " …" : oneLine;
    }

    private static void expect(boolean condition, String failure) {
        if (!condition) {
            throw new TourFailure(failure);
        }
    }
}
