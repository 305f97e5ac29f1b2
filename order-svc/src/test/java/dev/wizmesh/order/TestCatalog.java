package dev.wizmesh.order;

import dev.wizmesh.grpc.product.v1.CatalogServiceGrpc;
import dev.wizmesh.grpc.product.v1.GetProductsRequest;
import dev.wizmesh.grpc.product.v1.GetProductsResponse;
import dev.wizmesh.grpc.product.v1.Product;
import dev.wizmesh.platform.context.RequestContext;
import io.grpc.stub.StreamObserver;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A catalogue served over real gRPC for order-svc's own tests, behind the same server factory and
 * interceptors as product-svc's: it answers per tenant from the caller context the interceptors
 * attach, so a test also proves the tenant crosses the wire. (The system tests run the real
 * product-svc.)
 */
final class TestCatalog extends CatalogServiceGrpc.CatalogServiceImplBase {
    private final Map<String, Map<String, Product>> byTenant = new ConcurrentHashMap<>();
    final AtomicInteger calls = new AtomicInteger();

    void add(String tenantId, String productId, String name, long priceCents, String currency) {
        byTenant.computeIfAbsent(tenantId, t -> new ConcurrentHashMap<>()).put(productId, Product.newBuilder()
                .setId(productId).setSku("SKU-" + name).setName(name).setPriceCents(priceCents).setCurrency(currency).build());
    }

    @Override
    public void getProducts(GetProductsRequest request, StreamObserver<GetProductsResponse> response) {
        calls.incrementAndGet();
        String tenant = RequestContext.current().map(RequestContext::tenantId).orElse("none");
        Map<String, Product> products = byTenant.getOrDefault(tenant, Map.of());
        GetProductsResponse.Builder answer = GetProductsResponse.newBuilder();
        for (String id : request.getIdsList()) {
            Product p = products.get(id);
            if (p == null) {
                answer.addMissingIds(id);
            } else {
                answer.addProducts(p);
            }
        }
        response.onNext(answer.build());
        response.onCompleted();
    }
}
