package dev.wizmesh.cron.api;

import dev.wizmesh.cron.core.JobCatalog;
import dev.wizmesh.cron.core.JobView;
import dev.wizmesh.cron.core.SystemJobs;
import dev.wizmesh.platform.context.CallerChecks.Admin;
import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.paging.PageLimit;
import dev.wizmesh.persistence.tenancy.TenantTransactions;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The tenant's jobs, for its admins: {@code /api/v1/jobs} (through the gateway). Every method
 * works on the caller's tenant only; a job of another tenant is a 404 like a missing one.
 */
@Path("/api/v1/jobs")
@Produces(MediaType.APPLICATION_JSON)
public class JobResource {
    private final JobCatalog jobs;

    public JobResource(JobCatalog jobs) {
        this.jobs = jobs;
    }

    public record Listing(List<JobView> jobs) {
    }

    public record Runs(String job, List<RunView> runs) {
    }

    @POST
    @Admin
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(@Valid @NotNull JobRequest request) {
        if (request.name() == null) {
            throw new ApiException(ErrorCode.VALIDATION_FAILED, Map.of("count", 1,
                    "fields", List.of(Map.of("field", "name", "message", "is required"))));
        }
        JobView created = jobs.create(tenant(), request.toSpec(null), RequestContext.current().map(RequestContext::userId).orElse(null));
        return Response.created(URI.create("/api/v1/jobs/" + created.name())).entity(created).build();
    }

    @GET
    @Admin
    public Listing list() {
        return new Listing(jobs.list(tenant()));
    }

    @GET
    @Path("/{name}")
    @Admin
    public JobView get(@PathParam("name") String name) {
        return jobs.get(tenant(), name);
    }

    @PUT
    @Path("/{name}")
    @Admin
    @Consumes(MediaType.APPLICATION_JSON)
    public JobView replace(@PathParam("name") String name, @Valid @NotNull JobRequest request) {
        if (request.name() != null && !request.name().equals(name)) {
            throw new ApiException(ErrorCode.BAD_REQUEST, Map.of("reason",
                    "the body's name '" + request.name() + "' is not the path's '" + name + "'; a job cannot be renamed"));
        }
        return jobs.replace(tenant(), request.toSpec(name));
    }

    @DELETE
    @Path("/{name}")
    @Admin
    public Response delete(@PathParam("name") String name) {
        jobs.delete(tenant(), name);
        return Response.noContent().build();
    }

    @POST
    @Path("/{name}/pause")
    @Admin
    public JobView pause(@PathParam("name") String name) {
        return jobs.pause(tenant(), name);
    }

    @POST
    @Path("/{name}/resume")
    @Admin
    public JobView resume(@PathParam("name") String name) {
        return jobs.resume(tenant(), name);
    }

    @POST
    @Path("/{name}/trigger")
    @Admin
    public Response trigger(@PathParam("name") String name) {
        return Response.accepted(jobs.trigger(tenant(), name)).build();
    }

    @GET
    @Path("/{name}/runs")
    @Admin
    public Runs runs(@PathParam("name") String name, @QueryParam("limit") String limit) {
        return new Runs(name, jobs.runs(tenant(), name, PageLimit.parse(limit)).stream().map(RunView::of).toList());
    }

    /** The caller's tenant; never the system jobs' own (no tenant has it, and a forged header must not reach them). */
    private static UUID tenant() {
        UUID tenant = TenantTransactions.currentTenant();
        if (SystemJobs.TENANT.equals(tenant)) {
            throw new ApiException(ErrorCode.FORBIDDEN);
        }
        return tenant;
    }
}
