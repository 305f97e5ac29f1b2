package dev.wizmesh.registry.api;

import dev.wizmesh.discovery.ServiceInstance;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.registry.core.InstanceRegistry;
import dev.wizmesh.registry.core.EventType;
import dev.wizmesh.registry.core.Registration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import java.util.UUID;

/** Register, heartbeat, change status, deregister: the writes, all behind the registry token. */
@Path("/v1/services/{service}/instances")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class InstanceResource {
    static final String SERVICE_NAME = "[a-z0-9][a-z0-9.\\-]{0,62}";

    private final InstanceRegistry registry;
    private final LeasePolicy leases;

    public InstanceResource(InstanceRegistry registry, LeasePolicy leases) {
        this.registry = registry;
        this.leases = leases;
    }

    @POST
    public Response register(@PathParam("service") @Pattern(regexp = SERVICE_NAME, message = "must be a lower-case service name") String service,
                             @Valid @NotNull RegistrationRequest body) {
        long ttlMillis = leases.ttlMillis(body.leaseTtlSeconds());
        String id = body.id() != null ? body.id() : UUID.randomUUID().toString();
        ServiceInstance instance = new ServiceInstance(id, service, body.host(), body.port(), body.grpcPort(), body.scheme(),
                body.version(), body.zone(), body.weight() == null ? 1 : body.weight(), body.metadata(), null);
        registry.register(instance, body.healthCheck(), ttlMillis);
        long heartbeatMillis = leases.heartbeatMillis(ttlMillis);
        return Response.status(201)
                .entity(new RegistrationResponse(id, ttlMillis / 1000, Math.max(1, heartbeatMillis / 1000), heartbeatMillis))
                .build();
    }

    @PUT
    @Path("/{id}/heartbeat")
    public Map<String, Object> heartbeat(@PathParam("service") String service, @PathParam("id") String id) {
        if (!registry.heartbeat(service, id)) {
            throw notFound(service, id);
        }
        return Map.of("id", id, "renewed", true);
    }

    @PUT
    @Path("/{id}/status")
    public ServiceInstance status(@PathParam("service") String service, @PathParam("id") String id, @Valid @NotNull StatusChange body) {
        Registration changed = registry.setStatus(service, id, body.status(), "status set to " + body.status() + " by the instance")
                .orElseThrow(() -> notFound(service, id));
        return changed.instance();
    }

    @DELETE
    @Path("/{id}")
    public Response deregister(@PathParam("service") String service, @PathParam("id") String id) {
        if (!registry.remove(service, id, EventType.DEREGISTERED, "deregistered by the instance")) {
            throw notFound(service, id);
        }
        return Response.noContent().build();
    }

    private static ApiException notFound(String service, String id) {
        return new ApiException(ErrorCode.INSTANCE_NOT_FOUND, Map.of("service", service, "instanceId", id));
    }

}
