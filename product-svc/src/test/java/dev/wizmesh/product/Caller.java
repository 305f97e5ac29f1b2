package dev.wizmesh.product;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

/**
 * A caller of product-svc's HTTP API as the gateway would present it: a tenant, a user and roles
 * in the {@code X-Tenant-ID}/{@code X-User-ID}/{@code X-User-Roles} headers (any of them may be
 * left out, to play a request that did not come through the gateway).
 */
final class Caller {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String baseUrl;
    private final UUID tenant;
    private final UUID user;
    private final String roles;

    UUID tenant() {
        return tenant;
    }

    private Caller(String baseUrl, UUID tenant, UUID user, String roles) {
        this.baseUrl = baseUrl;
        this.tenant = tenant;
        this.user = user;
        this.roles = roles;
    }

    static Caller admin(int port, UUID tenant) {
        return new Caller("http://127.0.0.1:" + port, tenant, UUID.randomUUID(), "admin");
    }

    static Caller member(int port, UUID tenant) {
        return new Caller("http://127.0.0.1:" + port, tenant, UUID.randomUUID(), "member");
    }

    static Caller anonymous(int port) {
        return new Caller("http://127.0.0.1:" + port, null, null, null);
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

    /** {@code body} is a Map/record serialised as JSON, or a String sent as it is. */
    Reply send(String method, String path, Object body) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path));
            if (tenant != null) {
                request.header("X-Tenant-ID", tenant.toString());
            }
            if (user != null) {
                request.header("X-User-ID", user.toString());
            }
            if (roles != null) {
                request.header("X-User-Roles", roles);
            }
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                String text = body instanceof String s ? s : JSON.writeValueAsString(body);
                request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text));
            }
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? JSON.missingNode() : JSON.readTree(response.body());
            return new Reply(response.statusCode(), json, response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
