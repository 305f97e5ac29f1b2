package dev.wizmesh.product.grpc;

import dev.wizmesh.grpc.product.v1.BranchRef;
import dev.wizmesh.grpc.product.v1.StockReply;
import dev.wizmesh.grpc.product.v1.StockRequest;
import dev.wizmesh.grpc.product.v1.StockReservationServiceGrpc;
import dev.wizmesh.product.core.StockLines;
import dev.wizmesh.product.core.StockReservations;
import dev.wizmesh.transactions.fence.FenceOutcome;
import io.grpc.stub.StreamObserver;
import java.util.List;

/**
 * {@code wizmesh.product.v1.StockReservationService}: the stock side of an order placed across
 * services, called by order-svc's Saga and TCC coordinators. Each RPC is one fenced step of
 * {@link StockReservations}; the tenant comes from the call's metadata (the server interceptors
 * of shared/grpc put it in the RequestContext), never from the message. Failures are thrown as
 * ApiException; the error interceptor sends them with their code (INSUFFICIENT_STOCK,
 * PRODUCT_NOT_FOUND, BRANCH_*, BAD_REQUEST).
 */
public class StockReservationGrpcService extends StockReservationServiceGrpc.StockReservationServiceImplBase {
    private final StockReservations reservations;

    public StockReservationGrpcService(StockReservations reservations) {
        this.reservations = reservations;
    }

    @Override
    public void reserveStock(StockRequest request, StreamObserver<StockReply> response) {
        answer(response, reservations.reserve(request.getXid(), request.getBranch(), lines(request)));
    }

    @Override
    public void releaseStock(BranchRef request, StreamObserver<StockReply> response) {
        answer(response, reservations.release(request.getXid(), request.getBranch()));
    }

    @Override
    public void tryReserve(StockRequest request, StreamObserver<StockReply> response) {
        answer(response, reservations.tryReserve(request.getXid(), request.getBranch(), lines(request),
                request.getHoldMillis()));
    }

    @Override
    public void confirmReservation(BranchRef request, StreamObserver<StockReply> response) {
        answer(response, reservations.confirm(request.getXid(), request.getBranch()));
    }

    @Override
    public void cancelReservation(BranchRef request, StreamObserver<StockReply> response) {
        answer(response, reservations.cancel(request.getXid(), request.getBranch()));
    }

    private static List<StockLines.Asked> lines(StockRequest request) {
        return request.getLinesList().stream()
                .map(line -> new StockLines.Asked(line.getProductId(), line.getQuantity()))
                .toList();
    }

    private static void answer(StreamObserver<StockReply> response, FenceOutcome outcome) {
        response.onNext(StockReply.newBuilder().setOutcome(outcome.name()).build());
        response.onCompleted();
    }
}
