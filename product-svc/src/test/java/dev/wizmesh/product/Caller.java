package dev.wizmesh.product;

import com.fasterxml.jackson.databind.JsonNode;
import dev.wizmesh.testing.ServiceApi;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

/**
 * A caller of product-svc's HTTP API as the gateway would present it: a tenant, a user and roles
 * in the {@code X-Tenant-ID}/{@code X-User-ID}/{@code X-User-Roles} headers (any of them may be
 * left out, to play a request that did not come through the gateway).
 */
final class Caller {
    private final ServiceApi api;
    private final ServiceApi.Caller who;
    private final UUID tenant;

    UUID tenant() {
        return tenant;
    }

    private Caller(int port, UUID tenant, UUID user, String roles) {
        this.api = new ServiceApi(port);
        this.tenant = tenant;
        this.who = new ServiceApi.Caller(tenant == null ? null : tenant.toString(), user == null ? null : user.toString(), roles);
    }

    static Caller admin(int port, UUID tenant) {
        return new Caller(port, tenant, UUID.randomUUID(), "admin");
    }

    static Caller member(int port, UUID tenant) {
        return new Caller(port, tenant, UUID.randomUUID(), "member");
    }

    static Caller anonymous(int port) {
        return new Caller(port, null, null, null);
    }

    record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        String code() {
            return body.path("error").path("code").asText();
        }

        JsonNode details() {
            return body.path("error").path("details");
        }
    }

    Reply get(String path) {
        return send("GET", path, null);
    }

    Reply post(String path, Object body) {
        return send("POST", path, body);
    }

    Reply patch(String path, Object body) {
        return send("PATCH", path, body);
    }

    Reply put(String path, Object body) {
        return send("PUT", path, body);
    }

    Reply delete(String path) {
        return send("DELETE", path, null);
    }

    /** Creates a product and returns it (asserting nothing: callers check the status they expect). */
    JsonNode create(String sku, String name, long priceCents, long stock) {
        Reply reply = post("/api/v1/products", Map.of("sku", sku, "name", name, "description", "about " + name,
                "priceCents", priceCents, "currency", "EUR", "stock", stock));
        if (reply.status() != 201) {
            throw new AssertionError("create " + sku + ": " + reply.status() + " " + reply.body());
        }
        return reply.body();
    }

    /** {@code body} is a Map/record serialised as JSON, or a String sent as it is ({@link ServiceApi} does the HTTP). */
    Reply send(String method, String path, Object body) {
        ServiceApi.Reply reply = api.send(method, path, who, body, Map.of());
        return new Reply(reply.status(), reply.body(), reply.raw());
    }
}
