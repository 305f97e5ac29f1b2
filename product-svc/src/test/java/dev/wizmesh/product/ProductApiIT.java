package dev.wizmesh.product;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wizmesh.discovery.catalog.StaticInstances;
import dev.wizmesh.grpc.client.GrpcChannels;
import dev.wizmesh.grpc.client.GrpcClientFactory;
import dev.wizmesh.grpc.errors.GrpcErrors;
import dev.wizmesh.grpc.product.v1.CatalogServiceGrpc;
import dev.wizmesh.grpc.product.v1.GetProductsRequest;
import dev.wizmesh.grpc.product.v1.GetProductsResponse;
import dev.wizmesh.grpc.product.v1.GetStockRequest;
import dev.wizmesh.grpc.product.v1.GetStockResponse;
import dev.wizmesh.grpc.product.v1.InventoryServiceGrpc;
import dev.wizmesh.persistence.Database;
import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.errors.ErrorCode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.opentelemetry.api.OpenTelemetry;
import dev.wizmesh.product.Caller.Reply;
import dev.wizmesh.testing.PostgresExtension;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * product-svc in-process on real sockets against a real PostgreSQL database: the HTTP API, its
 * errors, pagination, tenant isolation (the service and row-level security), stock under
 * concurrent updates, and the gRPC services over a loopback channel. Each test works in tenants of its own, so tests do not see each other's rows.
 */
class ProductApiIT {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension POSTGRES = new PostgresExtension();

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<ProductConfiguration> APP = new DropwizardAppExtension<>(
            ProductApplication.class, ResourceHelpers.resourceFilePath("product-test.yml"),
            ConfigOverride.config("database.url", () -> POSTGRES.database().urlWithoutCredentials()),
            ConfigOverride.config("database.owner.user", () -> POSTGRES.database().username()),
            ConfigOverride.config("database.owner.password", () -> POSTGRES.database().password()));

    static final String PRODUCTS = "/api/v1/products";

    static int port() {
        return APP.getLocalPort();
    }

    static Database database() {
        return APP.<ProductApplication>getApplication().database();
    }

    static Map<String, Object> body(Object... keyValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put((String) keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    static Map<String, Object> validProduct() {
        return body("sku", "SKU-1", "name", "Teapot", "description", "Short and stout", "priceCents", 1999,
                "currency", "EUR", "stock", 10);
    }

    // ---- CRUD ----

    @Test
    void anAdminCreatesReadsChangesAndDeletesAProduct() {
        Caller admin = Caller.admin(port(), UUID.randomUUID());

        Reply created = admin.post(PRODUCTS, validProduct());
        assertThat(created.status()).isEqualTo(201);
        JsonNode product = created.body();
        String id = product.get("id").asText();
        assertThat(created.raw().headers().firstValue("Location")).hasValueSatisfying(
                location -> assertThat(location).endsWith(PRODUCTS + "/" + id));
        assertThat(product.get("sku").asText()).isEqualTo("SKU-1");
        assertThat(product.get("name").asText()).isEqualTo("Teapot");
        assertThat(product.get("description").asText()).isEqualTo("Short and stout");
        assertThat(product.get("priceCents").asLong()).isEqualTo(1999);
        assertThat(product.get("currency").asText()).isEqualTo("EUR");
        assertThat(product.get("stock").get("available").asLong()).isEqualTo(10);
        assertThat(product.get("stock").get("reserved").asLong()).isZero();
        assertThat(product.get("createdAt").asText()).endsWith("Z");
        assertThat(product.get("updatedAt").asText()).endsWith("Z");
        assertThat(product.has("tenantId")).isFalse();

        Reply read = Caller.member(port(), tenantOf(admin)).get(PRODUCTS + "/" + id);
        assertThat(read.status()).isEqualTo(200);
        assertThat(read.body()).isEqualTo(product);

        Reply patched = admin.patch(PRODUCTS + "/" + id, body("name", "Big teapot", "priceCents", 2499));
        assertThat(patched.status()).isEqualTo(200);
        assertThat(patched.body().get("name").asText()).isEqualTo("Big teapot");
        assertThat(patched.body().get("priceCents").asLong()).isEqualTo(2499);
        // what the patch did not name stays
        assertThat(patched.body().get("description").asText()).isEqualTo("Short and stout");
        assertThat(patched.body().get("currency").asText()).isEqualTo("EUR");
        assertThat(patched.body().get("sku").asText()).isEqualTo("SKU-1");
        assertThat(patched.body().get("createdAt")).isEqualTo(product.get("createdAt"));

        Reply emptied = admin.patch(PRODUCTS + "/" + id, body("description", ""));
        assertThat(emptied.body().get("description").asText()).isEmpty();

        Reply stockSet = admin.put(PRODUCTS + "/" + id + "/stock", body("available", 7));
        assertThat(stockSet.status()).isEqualTo(200);
        assertThat(stockSet.body().get("stock").get("available").asLong()).isEqualTo(7);
        Reply stockAdded = admin.put(PRODUCTS + "/" + id + "/stock", body("adjustBy", 5));
        assertThat(stockAdded.body().get("stock").get("available").asLong()).isEqualTo(12);

        Reply deleted = admin.delete(PRODUCTS + "/" + id);
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.raw().body()).isEmpty();
        assertThat(admin.get(PRODUCTS + "/" + id).code()).isEqualTo("PRODUCT_NOT_FOUND");
        assertThat(admin.delete(PRODUCTS + "/" + id).status()).isEqualTo(404);
        assertThat(admin.patch(PRODUCTS + "/" + id, body("name", "x")).status()).isEqualTo(404);
        assertThat(admin.put(PRODUCTS + "/" + id + "/stock", body("adjustBy", 1)).status()).isEqualTo(404);
        assertThat(admin.get(PRODUCTS).body().get("items")).isEmpty();
    }

    @Test
    void descriptionAndStockMayBeLeftOut() {
        Caller admin = Caller.admin(port(), UUID.randomUUID());
        Reply created = admin.post(PRODUCTS, body("sku", "bare", "name", "Bare", "priceCents", 0, "currency", "USD"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.body().get("description").asText()).isEmpty();
        assertThat(created.body().get("stock").get("available").asLong()).isZero();
    }

    // ---- who may call ----

    @Test
    void aRequestWithoutTheGatewaysHeadersIs401() {
        Caller nobody = Caller.anonymous(port());
        assertThat(nobody.get(PRODUCTS).status()).isEqualTo(401);
        assertThat(nobody.get(PRODUCTS).code()).isEqualTo("UNAUTHENTICATED");
        assertThat(nobody.get(PRODUCTS + "/" + UUID.randomUUID()).status()).isEqualTo(401);
        assertThat(nobody.post(PRODUCTS, validProduct()).status()).isEqualTo(401);
        assertThat(nobody.delete(PRODUCTS + "/" + UUID.randomUUID()).status()).isEqualTo(401);
    }

    @Test
    void aMemberReadsButOnlyAnAdminWrites() {
        UUID tenant = UUID.randomUUID();
        Caller admin = Caller.admin(port(), tenant);
        Caller member = Caller.member(port(), tenant);
        String id = admin.create("m-1", "Mug", 500, 3).get("id").asText();

        assertThat(member.get(PRODUCTS + "/" + id).status()).isEqualTo(200);
        assertThat(member.get(PRODUCTS).body().get("items")).hasSize(1);

        Reply post = member.post(PRODUCTS, validProduct());
        assertThat(post.status()).isEqualTo(403);
        assertThat(post.code()).isEqualTo("FORBIDDEN");
        assertThat(member.patch(PRODUCTS + "/" + id, body("name", "Stolen")).status()).isEqualTo(403);
        assertThat(member.put(PRODUCTS + "/" + id + "/stock", body("available", 0)).status()).isEqualTo(403);
        assertThat(member.delete(PRODUCTS + "/" + id).status()).isEqualTo(403);

        // who may call is decided before the body is read: no 400/422 hints for a caller without the right
        assertThat(member.post(PRODUCTS, body("sku", "")).status()).isEqualTo(403);
        assertThat(member.post(PRODUCTS, "{not json").status()).isEqualTo(403);
        assertThat(Caller.anonymous(port()).post(PRODUCTS, body("sku", "")).status()).isEqualTo(401);
        assertThat(Caller.anonymous(port()).get(PRODUCTS + "?limit=0").status()).isEqualTo(401);

        JsonNode unchanged = member.get(PRODUCTS + "/" + id).body();
        assertThat(unchanged.get("name").asText()).isEqualTo("Mug");
        assertThat(unchanged.get("stock").get("available").asLong()).isEqualTo(3);
    }

    // ---- 404 ----

    @Test
    void anUnknownOrMalformedIdIs404ProductNotFound() {
        Caller admin = Caller.admin(port(), UUID.randomUUID());
        for (String id : List.of(UUID.randomUUID().toString(), "not-a-uuid", "1-2-3-4-5", "%20")) {
            for (Reply reply : List.of(admin.get(PRODUCTS + "/" + id), admin.patch(PRODUCTS + "/" + id, body("name", "x")),
                    admin.delete(PRODUCTS + "/" + id), admin.put(PRODUCTS + "/" + id + "/stock", body("available", 1)))) {
                assertThat(reply.status()).as(id + ": " + reply.body()).isEqualTo(404);
                assertThat(reply.code()).isEqualTo("PRODUCT_NOT_FOUND");
                assertThat(reply.body().path("error").path("requestId").asText()).isNotEmpty();
            }
        }
    }

    // ---- 409 ----

    @Test
    void aSkuIsUniquePerTenantIgnoringCaseAndFreedByDelete() {
        Caller admin = Caller.admin(port(), UUID.randomUUID());
        String id = admin.create("DUP-1", "First", 100, 1).get("id").asText();

        Map<String, Object> again = validProduct();
        again.put("sku", "dup-1");
        Reply taken = admin.post(PRODUCTS, again);
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.code()).isEqualTo("SKU_TAKEN");
        assertThat(taken.details().get("sku").asText()).isEqualTo("dup-1");

        // another tenant has a catalogue of its own
        assertThat(Caller.admin(port(), UUID.randomUUID()).post(PRODUCTS, again).status()).isEqualTo(201);

        assertThat(admin.delete(PRODUCTS + "/" + id).status()).isEqualTo(204);
        assertThat(admin.post(PRODUCTS, again).status()).isEqualTo(201);
    }

    @Test
    void removingMoreThanIsAvailableIs409NamingBoth() {
        Caller admin = Caller.admin(port(), UUID.randomUUID());
        String id = admin.create("few", "Few", 100, 3).get("id").asText();

        Reply refused = admin.put(PRODUCTS + "/" + id + "/stock", body("adjustBy", -5));
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("INSUFFICIENT_STOCK");
        assertThat(refused.details().get("available").asLong()).isEqualTo(3);
        assertThat(refused.details().get("requested").asLong()).isEqualTo(5);
        assertThat(refused.details().get("productId").asText()).isEqualTo(id);

        assertThat(admin.put(PRODUCTS + "/" + id + "/stock", body("adjustBy", -3)).body()
                .get("stock").get("available").asLong()).isZero();
        // adding past the ceiling is refused too, rather than failing in the database
        admin.put(PRODUCTS + "/" + id + "/stock", body("available", 1_000_000_000));
        Reply tooMany = admin.put(PRODUCTS + "/" + id + "/stock", body("adjustBy", 1));
        assertThat(tooMany.status()).isEqualTo(409);
        assertThat(tooMany.code()).isEqualTo("CONFLICT");
    }

    // ---- 400 / 422 ----

    @Test
    void invalidBodiesAre422NamingTheField() {
        Caller admin = Caller.admin(port(), UUID.randomUUID());
        Map<String, Object> cases = new java.util.LinkedHashMap<>();
        cases.put("sku", "");
        cases.put("sku ", null);
        cases.put("name", "   ");
        cases.put("description", "x".repeat(2001));
        cases.put("priceCents", -1);
        cases.put("priceCents ", 1_000_000_000_001L);
        cases.put("currency", "eur");
        cases.put("currency ", "XYZ");
        cases.put("stock", -1);
        cases.put("stock ", 1_000_000_001L);
        for (Map.Entry<String, Object> c : cases.entrySet()) {
            String field = c.getKey().strip();
            Map<String, Object> product = validProduct();
            product.put(field, c.getValue());
            Reply reply = admin.post(PRODUCTS, product);
            assertThat(reply.status()).as(field + "=" + c.getValue() + ": " + reply.body()).isEqualTo(422);
            assertThat(reply.code()).isEqualTo("VALIDATION_FAILED");
            assertThat(reply.details().get("fields").findValuesAsText("field")).containsOnly(field);
        }
        for (String sku : List.of("-starts-with-dash", "has space", "x".repeat(65), "ünïcode")) {
            Map<String, Object> product = validProduct();
            product.put("sku", sku);
            assertThat(admin.post(PRODUCTS, product).status()).as(sku).isEqualTo(422);
        }
        Map<String, Object> longest = validProduct();
        longest.put("sku", "A".repeat(64));
        longest.put("name", "n".repeat(200));
        longest.put("description", "d".repeat(2000));
        longest.put("priceCents", 1_000_000_000_000L);
        longest.put("stock", 1_000_000_000L);
        assertThat(admin.post(PRODUCTS, longest).status()).isEqualTo(201);

        String id = admin.create("ok", "Ok", 1, 1).get("id").asText();
        assertThat(admin.patch(PRODUCTS + "/" + id, body("name", "")).status()).isEqualTo(422);
        assertThat(admin.patch(PRODUCTS + "/" + id, body("currency", "EURO")).status()).isEqualTo(422);
        assertThat(admin.patch(PRODUCTS + "/" + id, body("priceCents", -5)).status()).isEqualTo(422);
        Reply both = admin.put(PRODUCTS + "/" + id + "/stock", body("available", 1, "adjustBy", 1));
        assertThat(both.status()).isEqualTo(422);
        assertThat(both.details().get("fields").findValuesAsText("field")).containsExactly("stock");
        assertThat(admin.put(PRODUCTS + "/" + id + "/stock", body()).status()).isEqualTo(422);
        assertThat(admin.put(PRODUCTS + "/" + id + "/stock", body("available", -1)).status()).isEqualTo(422);
        assertThat(admin.put(PRODUCTS + "/" + id + "/stock", body("adjustBy", -1_000_000_001L)).status()).isEqualTo(422);
        assertThat(admin.get(PRODUCTS + "/" + id).body().get("name").asText()).isEqualTo("Ok");
    }

    @Test
    void unknownFieldsAndBrokenJsonAre400() {
        Caller admin = Caller.admin(port(), UUID.randomUUID());
        Map<String, Object> misspelt = validProduct();
        misspelt.put("stok", 5);
        Reply unknown = admin.post(PRODUCTS, misspelt);
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.code()).isEqualTo("MALFORMED_JSON");
        assertThat(unknown.body().toString()).contains("stok");

        Reply broken = admin.post(PRODUCTS, "{\"sku\": ");
        assertThat(broken.status()).isEqualTo(400);
        assertThat(broken.code()).isEqualTo("MALFORMED_JSON");

        Reply wrongType = admin.post(PRODUCTS, "{\"sku\":\"a\",\"name\":\"b\",\"priceCents\":\"lots\",\"currency\":\"EUR\"}");
        assertThat(wrongType.status()).isEqualTo(400);
        assertThat(admin.post(PRODUCTS, "").status()).isIn(400, 422);
    }

    // ---- lists ----

    @Test
    void anOverlongQueryParameterIs422NamingItAsTheClientWroteIt() {
        Caller admin = Caller.admin(port(), UUID.randomUUID());
        Reply r = admin.get(PRODUCTS + "?q=" + "x".repeat(201));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.body().path("error").path("details").path("fields").get(0).get("field").asText()).isEqualTo("q");
    }

    @Test
    void listsArePagedByCursorInCreationOrder() {
        Caller admin = Caller.admin(port(), UUID.randomUUID());
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            created.add(admin.create("page-" + i, "Item " + i, 100 + i, i).get("id").asText());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Reply page = admin.get(PRODUCTS + "?limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(page.status()).isEqualTo(200);
            page.body().get("items").forEach(item -> seen.add(item.get("id").asText()));
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactlyElementsOf(created);

        Reply all = admin.get(PRODUCTS);
        assertThat(all.body().get("items")).hasSize(5);
        assertThat(all.body().get("nextCursor").isNull()).isTrue();
        Reply exact = admin.get(PRODUCTS + "?limit=5");
        assertThat(exact.body().get("nextCursor").isNull()).as("no empty last page").isTrue();

        for (String bad : List.of("limit=0", "limit=101", "limit=-1", "limit=abc")) {
            Reply reply = admin.get(PRODUCTS + "?" + bad);
            assertThat(reply.status()).as(bad + ": " + reply.body()).isEqualTo(422);
            assertThat(reply.code()).isEqualTo("VALIDATION_FAILED");
            assertThat(reply.details().get("fields").findValuesAsText("field")).containsExactly("limit");
        }
        Reply badCursor = admin.get(PRODUCTS + "?cursor=bm90LWEtY3Vyc29y");
        assertThat(badCursor.status()).isEqualTo(400);
        assertThat(badCursor.code()).isEqualTo("BAD_REQUEST");
    }

    @Test
    void qMatchesNameOrSkuIgnoringCaseAndLiterally() {
        Caller admin = Caller.admin(port(), UUID.randomUUID());
        String teapot = admin.create("TEA-1", "Blue Teapot", 100, 1).get("id").asText();
        String cup = admin.create("cup-tea", "Cup", 100, 1).get("id").asText();
        String plate = admin.create("plate_1", "Plate 100% porcelain", 100, 1).get("id").asText();
        admin.create("spoon", "Spoon", 100, 1);

        assertThat(ids(admin.get(PRODUCTS + "?q=tea"))).containsExactly(teapot, cup);
        assertThat(ids(admin.get(PRODUCTS + "?q=TEAPOT"))).containsExactly(teapot);
        assertThat(ids(admin.get(PRODUCTS + "?q=100%25"))).containsExactly(plate);
        // _ and % are literal characters, not wildcards
        assertThat(ids(admin.get(PRODUCTS + "?q=e_1"))).containsExactly(plate);
        assertThat(ids(admin.get(PRODUCTS + "?q=%25"))).containsExactly(plate);
        assertThat(ids(admin.get(PRODUCTS + "?q=nothing"))).isEmpty();

        Reply first = admin.get(PRODUCTS + "?q=tea&limit=1");
        assertThat(ids(first)).containsExactly(teapot);
        Reply second = admin.get(PRODUCTS + "?q=tea&limit=1&cursor=" + first.body().get("nextCursor").asText());
        assertThat(ids(second)).containsExactly(cup);
        assertThat(second.body().get("nextCursor").isNull()).isTrue();
    }

    // ---- isolation ----

    @Test
    void anotherTenantsProductIs404EverywhereAndNeverListed() {
        UUID tenantA = UUID.randomUUID();
        Caller adminA = Caller.admin(port(), tenantA);
        Caller adminB = Caller.admin(port(), UUID.randomUUID());
        JsonNode product = adminA.create("a-only", "A's product", 100, 5);
        String id = product.get("id").asText();
        adminB.create("b-own", "B's product", 100, 5);

        for (Reply reply : List.of(adminB.get(PRODUCTS + "/" + id), adminB.patch(PRODUCTS + "/" + id, body("name", "mine")),
                adminB.delete(PRODUCTS + "/" + id), adminB.put(PRODUCTS + "/" + id + "/stock", body("available", 0)),
                adminB.put(PRODUCTS + "/" + id + "/stock", body("adjustBy", -1)))) {
            assertThat(reply.status()).as(reply.body().toString()).isEqualTo(404);
            assertThat(reply.code()).isEqualTo("PRODUCT_NOT_FOUND");
        }
        assertThat(ids(adminB.get(PRODUCTS))).doesNotContain(id).hasSize(1);
        assertThat(ids(adminB.get(PRODUCTS + "?q=a-only"))).isEmpty();

        // and nothing B tried changed A's product
        assertThat(adminA.get(PRODUCTS + "/" + id).body()).isEqualTo(product);
    }

    @Test
    void rowLevelSecurityScopesAnUnscopedSelectThroughTheAppsDatabase() {
        UUID tenantA = UUID.randomUUID();
        UUID tenantB = UUID.randomUUID();
        Caller.admin(port(), tenantA).create("rls-a1", "A1", 1, 1);
        Caller.admin(port(), tenantA).create("rls-a2", "A2", 1, 1);
        Caller.admin(port(), tenantB).create("rls-b1", "B1", 1, 1);

        // deliberately no WHERE tenant_id = ...: PostgreSQL adds it
        List<Map<String, Object>> rows = database().tenants().inTenant(tenantA,
                h -> h.createQuery("SELECT * FROM products").mapToMap().list());
        assertThat(rows).extracting(r -> r.get("tenant_id")).containsOnly(tenantA);
        assertThat(rows).extracting(r -> r.get("sku")).containsExactlyInAnyOrder("rls-a1", "rls-a2");

        List<Map<String, Object>> unscoped = database().unscoped().inTransaction(
                h -> h.createQuery("SELECT * FROM products").mapToMap().list());
        assertThat(unscoped).as("no tenant, no rows").isEmpty();

        assertThatThrownBy(() -> database().tenants().inTenant(tenantA, h -> h.createUpdate(
                        "INSERT INTO products (id, tenant_id, sku, name, price_cents, currency) "
                                + "VALUES (:id, :tenant, 'smuggled', 'x', 1, 'EUR')")
                .bind("id", UUID.randomUUID()).bind("tenant", tenantB).execute()))
                .hasMessageContaining("row-level security");
    }

    @Test
    void theDatabaseItselfRefusesNegativeStock() {
        UUID tenant = UUID.randomUUID();
        String id = Caller.admin(port(), tenant).create("check", "Check", 1, 2).get("id").asText();
        for (String column : List.of("available", "reserved")) {
            assertThatThrownBy(() -> database().tenants().inTenant(tenant, h -> h.createUpdate(
                            "UPDATE products SET " + column + " = -1 WHERE id = :id")
                    .bind("id", UUID.fromString(id)).execute()))
                    .hasMessageContaining("products_" + column + "_not_negative");
        }
    }

    // ---- concurrency ----

    @Test
    void fiftyConcurrentDecrementsOfThirtyUnitsSellExactlyThirty() throws Exception {
        Caller admin = Caller.admin(port(), UUID.randomUUID());
        String id = admin.create("hot", "Hot item", 100, 30).get("id").asText();

        int callers = 50;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Reply>> replies = new ArrayList<>();
        try {
            for (int i = 0; i < callers; i++) {
                replies.add(pool.submit(() -> {
                    start.await();
                    return admin.put(PRODUCTS + "/" + id + "/stock", body("adjustBy", -1));
                }));
            }
            start.countDown();
            int sold = 0;
            int refused = 0;
            for (Future<Reply> future : replies) {
                Reply reply = future.get();
                if (reply.status() == 200) {
                    sold++;
                    assertThat(reply.body().get("stock").get("available").asLong()).isBetween(0L, 29L);
                } else {
                    assertThat(reply.status()).as(reply.body().toString()).isEqualTo(409);
                    assertThat(reply.code()).isEqualTo("INSUFFICIENT_STOCK");
                    assertThat(reply.details().get("available").asLong()).isZero();
                    refused++;
                }
            }
            assertThat(sold).isEqualTo(30);
            assertThat(refused).isEqualTo(20);
        } finally {
            pool.shutdownNow();
        }
        assertThat(admin.get(PRODUCTS + "/" + id).body().get("stock").get("available").asLong()).isZero();
    }

    // ---- gRPC, over a real loopback connection resolved through discovery (registry:///) ----

    /** Calls {@code call} as a caller of {@code tenant} (the client interceptor sends it as metadata). */
    static <T> T asTenant(UUID tenant, java.util.function.Supplier<T> call) {
        RequestContext caller = new RequestContext("grpc-test-" + UUID.randomUUID(),
                tenant == null ? null : tenant.toString(), "order-svc", null);
        try (RequestContext.Scope ignored = caller.attach()) {
            return call.get();
        }
    }

    @Test
    void getProductsAnswersTheCallersTenantsProductsAndNamesTheRestMissing() {
        UUID tenantA = UUID.randomUUID();
        Caller adminA = Caller.admin(port(), tenantA);
        JsonNode mug = adminA.create("g-mug", "Mug", 850, 4);
        JsonNode pot = adminA.create("g-pot", "Pot", 2100, 2);
        String deleted = adminA.create("g-old", "Old", 1, 1).get("id").asText();
        adminA.delete(PRODUCTS + "/" + deleted);
        String othersProduct = Caller.admin(port(), UUID.randomUUID()).create("g-b", "B's", 1, 1).get("id").asText();
        String unknown = UUID.randomUUID().toString();

        GetProductsResponse answer = asTenant(tenantA, () -> catalog().getProducts(GetProductsRequest.newBuilder()
                .addIds(pot.get("id").asText()).addIds(othersProduct).addIds(mug.get("id").asText())
                .addIds(unknown).addIds("not-a-uuid").addIds(deleted).addIds(pot.get("id").asText())
                .build()));

        assertThat(answer.getProductsList()).extracting(p -> p.getId())
                .containsExactly(pot.get("id").asText(), mug.get("id").asText());
        dev.wizmesh.grpc.product.v1.Product first = answer.getProducts(0);
        assertThat(first.getSku()).isEqualTo("g-pot");
        assertThat(first.getName()).isEqualTo("Pot");
        assertThat(first.getPriceCents()).isEqualTo(2100);
        assertThat(first.getCurrency()).isEqualTo("EUR");
        assertThat(answer.getMissingIdsList()).containsExactly(othersProduct, unknown, deleted, "not-a-uuid");
    }

    @Test
    void getStockAnswersLevelsOfTheCallersTenantOnly() {
        UUID tenantA = UUID.randomUUID();
        String id = Caller.admin(port(), tenantA).create("g-stock", "Stocked", 1, 9).get("id").asText();

        GetStockResponse mine = asTenant(tenantA, () -> inventory().getStock(
                GetStockRequest.newBuilder().addProductIds(id).build()));
        assertThat(mine.getStocksList()).singleElement().satisfies(stock -> {
            assertThat(stock.getProductId()).isEqualTo(id);
            assertThat(stock.getAvailable()).isEqualTo(9);
            assertThat(stock.getReserved()).isZero();
        });
        assertThat(mine.getMissingIdsList()).isEmpty();

        GetStockResponse theirs = asTenant(UUID.randomUUID(), () -> inventory().getStock(
                GetStockRequest.newBuilder().addProductIds(id).build()));
        assertThat(theirs.getStocksList()).isEmpty();
        assertThat(theirs.getMissingIdsList()).containsExactly(id);
    }

    @Test
    void aCallWithoutATenantIsRefusedWithItsCode() {
        GetStockRequest request = GetStockRequest.newBuilder().addProductIds(UUID.randomUUID().toString()).build();
        StatusRuntimeException refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> asTenant(null, () -> inventory().getStock(request)), StatusRuntimeException.class);
        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(GrpcErrors.toApiException(refused, "product-svc").code()).isEqualTo(ErrorCode.UNAUTHENTICATED);

        GetProductsRequest.Builder tooMany = GetProductsRequest.newBuilder();
        for (int i = 0; i <= 1000; i++) {
            tooMany.addIds(UUID.randomUUID().toString());
        }
        StatusRuntimeException bad = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> asTenant(UUID.randomUUID(), () -> catalog().getProducts(tooMany.build())), StatusRuntimeException.class);
        assertThat(bad.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(GrpcErrors.toApiException(bad, "product-svc").code()).isEqualTo(ErrorCode.BAD_REQUEST);
    }

    private static GrpcChannels channels;

    /** Channels as order-svc would have them: registry:///product-svc through a (static) catalog. */
    static synchronized GrpcChannels channels() {
        if (channels == null) {
            int grpcPort = APP.<ProductApplication>getApplication().grpcServer().port();
            channels = new GrpcClientFactory().build(OpenTelemetry.noop(), new StaticInstances(
                    Map.of("product-svc", List.of("127.0.0.1:" + port() + "?grpc=" + grpcPort))));
        }
        return channels;
    }

    @AfterAll
    static void closeChannels() {
        if (channels != null) {
            channels.close();
        }
    }

    static CatalogServiceGrpc.CatalogServiceBlockingStub catalog() {
        return CatalogServiceGrpc.newBlockingStub(channels().channel("product-svc"));
    }

    static InventoryServiceGrpc.InventoryServiceBlockingStub inventory() {
        return InventoryServiceGrpc.newBlockingStub(channels().channel("product-svc"));
    }

    private static List<String> ids(Reply page) {
        assertThat(page.status()).as(page.body().toString()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        page.body().get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    private static UUID tenantOf(Caller caller) {
        return caller.tenant();
    }
}
