package dev.wizmesh.cron.jobs;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;
import java.util.Set;

/**
 * {@code http-call}: calls a URL of a registered service and records the status.
 *
 * <pre>{"service": "product-svc", "path": "/api/v1/products?limit=1", "method": "GET"}</pre>
 *
 * {@code method} is GET (default) or POST (with an optional JSON {@code body}). A 2xx is a
 * success; anything else fails the attempt with the status and the start of the answer.
 */
public final class HttpCallJob implements JobType {
    private static final Set<String> METHODS = Set.of("GET", "POST");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ServiceClient services;

    public HttpCallJob(ServiceClient services) {
        this.services = services;
    }

    @Override
    public String name() {
        return "http-call";
    }

    @Override
    public void validate(Map<String, Object> params) {
        Params.only(params, "service", "path", "method", "body");
        Params.string(params, "service", null);
        String path = Params.string(params, "path", null);
        if (!path.startsWith("/") || path.startsWith("//") || path.contains(" ")) {
            throw new InvalidParamsException("'path' must be a path on the service, starting with a single '/'; got " + path);
        }
        String method = Params.string(params, "method", "GET");
        if (!METHODS.contains(method)) {
            throw new InvalidParamsException("'method' must be GET or POST; got " + method);
        }
        if (params.containsKey("body") && (!"POST".equals(method) || !(params.get("body") instanceof Map))) {
            throw new InvalidParamsException("'body' is a JSON object, and only for method POST");
        }
    }

    @Override
    public String run(Fire fire) throws Exception {
        Map<String, Object> p = fire.params();
        String method = Params.string(p, "method", "GET");
        String body = p.containsKey("body") ? JSON.writeValueAsString(p.get("body")) : null;
        ServiceClient.Reply reply = services.call(fire, Params.string(p, "service", null), method,
                Params.string(p, "path", null), body).orFail();
        return reply.summary();
    }
}
