package dev.wizmesh.product.grpc;

import dev.wizmesh.grpc.product.v1.CatalogServiceGrpc;
import dev.wizmesh.grpc.product.v1.GetProductsRequest;
import dev.wizmesh.grpc.product.v1.GetProductsResponse;
import dev.wizmesh.product.core.Product;
import dev.wizmesh.product.core.ProductCatalog;
import dev.wizmesh.product.core.ProductLookup;
import io.grpc.stub.StreamObserver;

/**
 * {@code wizmesh.product.v1.CatalogService}: names and prices for order-svc and the transaction
 * coordinators. The caller's tenant comes from the call's metadata (the server interceptors of
 * shared/grpc put it in the RequestContext), so another tenant's product is simply missing.
 * Failures are thrown as ApiException; the error interceptor sends them with their code.
 */
public class CatalogGrpcService extends CatalogServiceGrpc.CatalogServiceImplBase {
    private final ProductCatalog catalog;

    public CatalogGrpcService(ProductCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void getProducts(GetProductsRequest request, StreamObserver<GetProductsResponse> response) {
        ProductLookup lookup = catalog.lookup(request.getIdsList());
        GetProductsResponse.Builder answer = GetProductsResponse.newBuilder().addAllMissingIds(lookup.missingIds());
        for (Product p : lookup.found()) {
            answer.addProducts(dev.wizmesh.grpc.product.v1.Product.newBuilder()
                    .setId(p.id().toString())
                    .setSku(p.sku())
                    .setName(p.name())
                    .setPriceCents(p.priceCents())
                    .setCurrency(p.currency()));
        }
        response.onNext(answer.build());
        response.onCompleted();
    }
}
