package dev.wizmesh.platform;

import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A minimal service on the platform bundle, with endpoints that fail in each way we map. */
public class PlatformTestApp extends Application<ServiceConfiguration> {
    final PlatformBundle<ServiceConfiguration> platform = new PlatformBundle<>();

    @Override
    public String getName() {
        return "platform-test";
    }

    @Override
    public void initialize(Bootstrap<ServiceConfiguration> bootstrap) {
        bootstrap.addBundle(platform);
    }

    @Override
    public void run(ServiceConfiguration configuration, Environment environment) {
        environment.jersey().register(new ThingResource());
    }

    public record NewThing(@NotBlank String name, @NotNull @Min(1) Integer count) {
    }

    @Path("/things")
    @Produces(MediaType.APPLICATION_JSON)
    public static class ThingResource {
        private static final Logger LOG = LoggerFactory.getLogger(ThingResource.class);

        @GET
        @Path("/{id}")
        public Map<String, Object> get(@PathParam("id") String id) {
            LOG.info("serving thing {}", id);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("id", id);
            RequestContext.current().ifPresent(ctx -> {
                out.put("tenantId", ctx.tenantId());
                out.put("userId", ctx.userId());
                out.put("roles", ctx.roles());
                out.put("requestId", ctx.requestId());
            });
            return out;
        }

        @POST
        public Response create(@Valid @NotNull NewThing thing) {
            return Response.status(201).entity(Map.of("name", thing.name(), "count", thing.count())).build();
        }

        @GET
        @Path("/conflict")
        public Map<String, Object> conflict() {
            throw new ApiException(ErrorCode.CONFLICT, Map.of("reason", "already there"));
        }

        @GET
        @Path("/slow")
        public Map<String, Object> slow(@jakarta.ws.rs.QueryParam("ms") @jakarta.validation.constraints.Max(10_000) int ms)
                throws InterruptedException {
            Thread.sleep(ms);
            return Map.of("sleptMs", ms);
        }

        @GET
        @Path("/boom")
        public Map<String, Object> boom() {
            throw new IllegalStateException("secret internal detail at com.example.Hidden");
        }
    }
}
