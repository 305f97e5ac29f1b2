package dev.wizmesh.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A small HTTP client for a service's tests, playing the gateway: it sends the caller headers
 * ({@code X-Tenant-ID}, {@code X-User-ID}, {@code X-User-Roles}) the gateway would set from a
 * verified token, and reads every answer as JSON.
 */
public final class ServiceApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newHttpClient();   // one per JVM: each client holds a selector thread
    private final String base;

    public ServiceApi(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        public String code() {
            return body.path("error").path("code").asText();
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    /** A caller as the gateway describes one; null fields are sent as no header. */
    public record Caller(String tenantId, String userId, String roles) {
        public static final Caller ANONYMOUS = new Caller(null, null, null);

        public Map<String, String> headers() {
            Map<String, String> h = new LinkedHashMap<>();
            if (tenantId != null) {
                h.put("X-Tenant-ID", tenantId);
            }
            if (userId != null) {
                h.put("X-User-ID", userId);
            }
            if (roles != null) {
                h.put("X-User-Roles", roles);
            }
            return h;
        }
    }

    public Reply send(String method, String path, Caller caller, Object body, Map<String, String> extraHeaders) {
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path));
            caller.headers().forEach(request::header);
            extraHeaders.forEach(request::header);
            if (body == null) {
                request.method(method, HttpRequest.BodyPublishers.noBody());
            } else {
                String text = body instanceof String s ? s : JSON.writeValueAsString(body);
                request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(text));
            }
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json = response.body().isEmpty() ? JSON.nullNode() : JSON.readTree(response.body());
            return new Reply(response.statusCode(), json, response);
        } catch (Exception e) {
            throw new IllegalStateException(method + " " + path + " failed", e);
        }
    }

    public Reply get(String path, Caller caller) {
        return send("GET", path, caller, null, Map.of());
    }

    public Reply post(String path, Caller caller, Object body) {
        return send("POST", path, caller, body, Map.of());
    }
}
