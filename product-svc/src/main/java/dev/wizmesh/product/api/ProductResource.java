package dev.wizmesh.product.api;

import dev.wizmesh.platform.paging.Page;
import dev.wizmesh.platform.paging.PageLimit;
import dev.wizmesh.platform.context.CallerChecks;
import dev.wizmesh.platform.context.CallerChecks.Admin;
import dev.wizmesh.platform.context.CallerChecks.Member;
import dev.wizmesh.product.core.Product;
import dev.wizmesh.product.core.ProductCatalog;
import dev.wizmesh.product.core.ProductIds;
import dev.wizmesh.product.core.StockLevels;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
 * The catalogue over HTTP. Thin on purpose: it says who may call each method ({@link Member}:
 * any user of the tenant; {@link Admin}: the tenant's admins, checked by {@link CallerChecks}
 * before the body is read), turns path strings into ids, and hands over to
 * {@link ProductCatalog} and {@link StockLevels}.
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
    @Admin
    public Response create(@NotNull @Valid CreateProductRequest body, @Context UriInfo uri) {
        Product created = catalog.create(body.toNewProduct());
        return Response.created(uri.getAbsolutePathBuilder().path(created.id().toString()).build())
                .entity(ProductView.of(created))
                .build();
    }

    /** {@code limit} is parsed by PageLimit (text: "?limit=abc" is a 422, not JAX-RS's 404). */
    @GET
    @Member
    public Page<ProductView> list(@QueryParam("limit") String limit,
                                  @QueryParam("cursor") @Size(max = 200) String cursor,
                                  @QueryParam("q") @Size(max = 200) String q) {
        Page<Product> page = catalog.list(PageLimit.parse(limit), cursor, q);
        return new Page<>(page.items().stream().map(ProductView::of).toList(), page.nextCursor());
    }

    @GET
    @Member
    @Path("/{id}")
    public ProductView get(@PathParam("id") String id) {
        return ProductView.of(catalog.find(ProductIds.require(id)));
    }

    @PATCH
    @Admin
    @Path("/{id}")
    public ProductView update(@PathParam("id") String id, @NotNull @Valid UpdateProductRequest body) {
        return ProductView.of(catalog.update(ProductIds.require(id), body.toChanges()));
    }

    @DELETE
    @Admin
    @Path("/{id}")
    public Response delete(@PathParam("id") String id) {
        catalog.delete(ProductIds.require(id));
        return Response.noContent().build();
    }

    @PUT
    @Admin
    @Path("/{id}/stock")
    public ProductView changeStock(@PathParam("id") String id, @NotNull @Valid StockChangeRequest body) {
        UUID productId = ProductIds.require(id);
        Product changed = body.available() != null
                ? stock.setAvailable(productId, body.available())
                : stock.adjustAvailable(productId, body.adjustBy());
        return ProductView.of(changed);
    }
}
