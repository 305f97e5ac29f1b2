package dev.wizmesh.order.catalog;

import dev.wizmesh.grpc.errors.GrpcErrors;
import dev.wizmesh.grpc.product.v1.CatalogServiceGrpc;
import dev.wizmesh.grpc.product.v1.GetProductsRequest;
import dev.wizmesh.grpc.product.v1.GetProductsResponse;
import dev.wizmesh.grpc.product.v1.Product;
import dev.wizmesh.order.core.PricedProduct;
import io.grpc.Channel;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * product-svc's catalogue, over gRPC ({@code registry:///product-svc}, round robin across its
 * instances). The caller's tenant travels in the call's metadata, so product-svc answers only
 * with the caller's tenant's products. A product-svc that is down or slow becomes a 503
 * {@code UPSTREAM_UNAVAILABLE} or 504 {@code UPSTREAM_TIMEOUT} for the order request, fast.
 */
public final class ProductCatalogClient {
    public static final String SERVICE = "product-svc";

    private final CatalogServiceGrpc.CatalogServiceBlockingStub catalog;

    public ProductCatalogClient(Channel channel) {
        this.catalog = CatalogServiceGrpc.newBlockingStub(channel);
    }

    /** The products found, by id; ids that name no product of the tenant are {@code missing}. */
    public record Lookup(Map<UUID, PricedProduct> found, Set<UUID> missing) {
    }

    public Lookup products(Collection<UUID> ids) {
        GetProductsRequest request = GetProductsRequest.newBuilder()
                .addAllIds(ids.stream().map(UUID::toString).toList())
                .build();
        GetProductsResponse response = GrpcErrors.call(SERVICE, () -> catalog.getProducts(request));
        Map<UUID, PricedProduct> found = new LinkedHashMap<>();
        for (Product p : response.getProductsList()) {
            UUID id = UUID.fromString(p.getId());
            found.put(id, new PricedProduct(id, p.getName(), p.getPriceCents(), p.getCurrency()));
        }
        Set<UUID> missing = new HashSet<>(ids);
        missing.removeAll(found.keySet());
        return new Lookup(found, missing);
    }
}
