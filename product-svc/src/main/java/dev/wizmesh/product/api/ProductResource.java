package dev.wizmesh.product.api;

import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.paging.Page;
import dev.wizmesh.product.core.Product;
import dev.wizmesh.product.core.ProductCatalog;
import dev.wizmesh.product.core.ProductIds;
import dev.wizmesh.product.core.StockLevels;
import io.dropwizard.jersey.params.IntParam;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.core.Context;
import java.util.UUID;

/**
 * The catalogue over HTTP. Thin on purpose: it checks who may call (any user of the tenant reads,
 * {@code admin} writes), turns path strings into ids, and hands over to {@link ProductCatalog} and
 * {@link StockLevels}. Bodies are validated before a method runs (422), so the checks here are
 * only about the caller.
 */
@Path("/api/v1/products")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ProductResource {
    private final ProductCatalog catalog;
    private final StockLevels stock;

    public ProductResource(ProductCatalog catalog, StockLevels stock) {
        this.catalog = catalog;
        this.stock = stock;
    }

    @POST
    public Response create(@NotNull @Valid CreateProductRequest body, @Context UriInfo uri) {
        RequestContext.requireRole(RequestContext.ADMIN_ROLE);
        Product created = catalog.create(body.toNewProduct());
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build())
                .entity(ProductView.of(created))
                .build();
    }

    /** {@code limit} is a Dropwizard IntParam so that "?limit=abc" is a 400, not JAX-RS's 404. */
    @GET
    public Page<ProductView> list(@QueryParam("limit") @DefaultValue("20") @Min(1) @Max(100) IntParam limit,
                                  @QueryParam("cursor") @Size(max = 200) String cursor,
                                  @QueryParam("q") @Size(max = 200) String q) {
        RequestContext.requireUserId();
        Page<Product> page = catalog.list(limit.get(), cursor, q);
        return new Page<>(page.items().stream().map(ProductView::of).toList(), page.nextCursor());
    }

    @GET
    @Path("/{id}")
    public ProductView get(@PathParam("id") String id) {
        RequestContext.requireUserId();
        return ProductView.of(catalog.find(ProductIds.require(id)));
    }

    @PATCH
    @Path("/{id}")
    public ProductView update(@PathParam("id") String id, @NotNull @Valid UpdateProductRequest body) {
        RequestContext.requireRole(RequestContext.ADMIN_ROLE);
        return ProductView.of(catalog.update(ProductIds.require(id), body.toChanges()));
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        RequestContext.requireRole(RequestContext.ADMIN_ROLE);
        catalog.delete(ProductIds.require(id));
        return Response.noContent().build();
    }

    @PUT
    @Path("/{id}/stock")
    public ProductView changeStock(@PathParam("id") String id, @NotNull @Valid StockChangeRequest body) {
        RequestContext.requireRole(RequestContext.ADMIN_ROLE);
        UUID productId = ProductIds.require(id);
        Product changed = body.available() != null
                ? stock.setAvailable(productId, body.available())
                : stock.adjustAvailable(productId, body.adjustBy());
        return ProductView.of(changed);
    }
}
