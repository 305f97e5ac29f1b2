package dev.wizmesh.registry.api;

import dev.wizmesh.discovery.InstanceStatus;
import dev.wizmesh.registry.core.BlockingQueries;
import dev.wizmesh.registry.core.InstanceRegistry;
import io.dropwizard.util.Duration;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.container.AsyncResponse;
import jakarta.ws.rs.container.Suspended;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;

/** The reads: every service with counts, and one service's instances, optionally as a blocking query. */
@Path("/v1/services")
@Produces(MediaType.APPLICATION_JSON)
public class ServiceResource {
    public static final String INDEX_HEADER = "X-Registry-Index";

    private final InstanceRegistry registry;
    private final BlockingQueries blocking;
    private final long maxWaitMillis;

    public ServiceResource(InstanceRegistry registry, BlockingQueries blocking, long maxWaitMillis) {
        this.registry = registry;
        this.blocking = blocking;
        this.maxWaitMillis = maxWaitMillis;
    }

    public record ServiceSummary(String service, int instances, Map<InstanceStatus, Integer> byStatus) {
    }

    @GET
    public Response services() {
        List<ServiceSummary> out = new ArrayList<>();
        registry.summary().forEach((service, counts) -> out.add(new ServiceSummary(
                service, counts.values().stream().mapToInt(Integer::intValue).sum(), counts)));
        return Response.ok(Map.of("index", registry.index(), "services", out)).header(INDEX_HEADER, registry.index()).build();
    }

    /**
     * A service's instances. With {@code ?index=N&wait=30s} this is a blocking query: the answer
     * comes as soon as the service's index passes N, or after the wait with the same index.
     */
    @GET
    @Path("/{service}")
    public void service(@PathParam("service") String service,
                        @QueryParam("all") @DefaultValue("false") boolean all,
                        @QueryParam("index") String indexParam,
                        @QueryParam("wait") String wait,
                        @Suspended AsyncResponse async) {
        // parsed here, not by Jersey: an unparsable query parameter there is a 404, not a 400
        Long index = parseIndex(indexParam);
        if (index == null || registry.serviceIndex(service) > index) {
            async.resume(answer(service, all));
            return;
        }
        long waitMillis = Math.min(parseWait(wait), maxWaitMillis);
        blocking.awaitChange(service, index)
                .completeOnTimeout(index, waitMillis, TimeUnit.MILLISECONDS)
                .whenCompleteAsync((v, e) -> async.resume(answer(service, all)), blocking.responder());
    }

    private Response answer(String service, boolean all) {
        InstanceRegistry.ServiceView view = registry.view(service, all);
        return Response.ok(view).header(INDEX_HEADER, view.index()).build();
    }

    private static Long parseIndex(String index) {
        if (index == null || index.isBlank()) {
            return null;
        }
        try {
            long parsed = Long.parseLong(index.trim());
            if (parsed < 0) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason", "index must be a registry index (a whole number >= 0)"));
        }
    }

    private static long parseWait(String wait) {
        if (wait == null || wait.isBlank()) {
            return 30_000;
        }
        try {
            return Duration.parse(wait.trim()).toMilliseconds();
        } catch (IllegalArgumentException e) {
            throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason", "wait must be a duration like 30s or 500ms"));
        }
    }
}
