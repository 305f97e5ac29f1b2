package dev.wizmesh.product.grpc;

import dev.wizmesh.grpc.product.v1.GetStockRequest;
import dev.wizmesh.grpc.product.v1.GetStockResponse;
import dev.wizmesh.grpc.product.v1.InventoryServiceGrpc;
import dev.wizmesh.grpc.product.v1.Stock;
import dev.wizmesh.product.core.Product;
import dev.wizmesh.product.core.ProductCatalog;
import dev.wizmesh.product.core.ProductLookup;
import io.grpc.stub.StreamObserver;

/**
 * {@code wizmesh.product.v1.InventoryService}: stock levels of the caller's tenant's products
 * (available and reserved), read in one transaction so that the levels of one answer belong to
 * one moment. A read only: reservations are StockReservationService's ({@link StockReservationGrpcService}).
 */
public class InventoryGrpcService extends InventoryServiceGrpc.InventoryServiceImplBase {
    private final ProductCatalog catalog;

    public InventoryGrpcService(ProductCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public void getStock(GetStockRequest request, StreamObserver<GetStockResponse> response) {
        ProductLookup lookup = catalog.lookup(request.getProductIdsList());
        GetStockResponse.Builder answer = GetStockResponse.newBuilder().addAllMissingIds(lookup.missingIds());
        for (Product p : lookup.found()) {
            answer.addStocks(Stock.newBuilder()
                    .setProductId(p.id().toString())
                    .setAvailable(p.available())
                    .setReserved(p.reserved()));
        }
        response.onNext(answer.build());
        response.onCompleted();
    }
}
