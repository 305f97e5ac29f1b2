package dev.wizmesh.cron.jobs;

import dev.wizmesh.discovery.ServiceInstance;
import dev.wizmesh.discovery.catalog.InstanceSource;
import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.requestid.RequestIds;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The job types' way to call other services: over HTTP, at an instance the registry lists as UP
 * (round robin), with the headers the gateway would have set for the job's creator (tenant, user,
 * admin role) and the fire's id as the {@code Idempotency-Key}, so a recovered re-run of a fire is
 * recognised by the service it calls.
 */
public final class ServiceClient {
    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    private final InstanceSource instances;
    private final HttpClient http;
    private final Duration timeout;
    private final AtomicInteger next = new AtomicInteger();

    public ServiceClient(InstanceSource instances, Duration connectTimeout, Duration timeout) {
        this.instances = instances;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** An answer, and which instance gave it. */
    public record Reply(int status, String body, ServiceInstance instance) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }

        /** This reply when it is a 2xx; otherwise the attempt fails with {@link #summary()}. */
        public Reply orFail() {
            if (!ok()) {
                throw new IllegalStateException(summary());
            }
            return this;
        }

        /** A one-line summary for the run history: status, who, and the start of the body. */
        public String summary() {
            String b = body == null ? "" : body.strip().replaceAll("\\s+", " ");
            return "HTTP " + status + " from " + instance.service() + "@" + instance.address()
                    + (b.isEmpty() ? "" : ": " + (b.length() > 300 ? b.substring(0, 300) + "..." : b));
        }
    }

    /** {@code method path} on the service's public port, as the fire's tenant and creator. */
    public Reply call(Fire fire, String service, String method, String path, String jsonBody) throws IOException, InterruptedException {
        ServiceInstance instance = pick(service);
        HttpRequest.Builder request = HttpRequest.newBuilder(instance.baseUri().resolve(path)).timeout(timeout)
                .header("Accept", "application/json")
                .header(RequestIds.HEADER, fire.fireId() + "/" + fire.attempt())
                .header(IDEMPOTENCY_KEY, fire.fireId())
                .header(RequestContext.TENANT_HEADER, fire.tenantId().toString())
                .header(RequestContext.ROLES_HEADER, RequestContext.ADMIN_ROLE)
                .header("X-Cron-Job", fire.jobName());
        if (fire.createdBy() != null) {
            request.header(RequestContext.USER_HEADER, fire.createdBy());
        }
        if (jsonBody != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(jsonBody));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(response.statusCode(), response.body(), instance);
    }

    /**
     * {@code POST /tasks/<task>?query} on the admin port of every UP instance of {@code service} (a
     * task acts on one instance's resources, and cleaning all of them is the point). Admin ports
     * are on the instance's registration ({@code metadata.adminPort}).
     */
    public List<Reply> adminTaskOnEvery(String service, String task, String query) throws IOException, InterruptedException {
        List<ServiceInstance> up = instances.instances(service);
        if (up.isEmpty()) {
            throw new IOException("no UP instance of " + service + " is registered");
        }
        List<Reply> replies = new java.util.ArrayList<>();
        for (ServiceInstance instance : up) {
            String adminPort = instance.metadata().get("adminPort");
            if (adminPort == null) {
                throw new IOException(instance.service() + "@" + instance.address() + " registered no adminPort");
            }
            URI uri = URI.create(instance.scheme() + "://" + instance.host() + ":" + adminPort + "/tasks/" + task
                    + (query == null || query.isEmpty() ? "" : "?" + query));
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            replies.add(new Reply(response.statusCode(), response.body(), instance));
        }
        return replies;
    }

    private ServiceInstance pick(String service) throws IOException {
        List<ServiceInstance> up = instances.instances(service);
        if (up.isEmpty()) {
            throw new IOException("no UP instance of " + service + " is registered");
        }
        return up.get(Math.floorMod(next.getAndIncrement(), up.size()));
    }
}
