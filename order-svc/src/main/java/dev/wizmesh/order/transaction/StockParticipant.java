package dev.wizmesh.order.transaction;

import dev.wizmesh.grpc.product.v1.BranchRef;
import dev.wizmesh.grpc.product.v1.StockLine;
import dev.wizmesh.grpc.product.v1.StockRequest;
import dev.wizmesh.grpc.product.v1.StockReservationServiceGrpc;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.transactions.StepCall;
import io.grpc.Channel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * product-svc's side of placing an order ({@code wizmesh.product.v1.StockReservationService}):
 * each method is one step's call, with the step's timeout as the gRPC deadline and the
 * transaction id and step name as the fence's xid and branch.
 */
public final class StockParticipant {
    public static final String SERVICE = "product-svc";
    private static final Map<ErrorCode, String> FINAL = Map.of(
            ErrorCode.INSUFFICIENT_STOCK, "OUT_OF_STOCK",
            ErrorCode.PRODUCT_NOT_FOUND, "OUT_OF_STOCK");

    private final StockReservationServiceGrpc.StockReservationServiceBlockingStub stub;
    private final Duration hold;

    /** @param hold how long a TCC reservation waits for Confirm or Cancel before product-svc releases it */
    public StockParticipant(Channel channel, Duration hold) {
        this.stub = StockReservationServiceGrpc.newBlockingStub(channel);
        this.hold = hold;
    }

    public void reserve(PlaceOrder order, StepCall call) {
        ParticipantCall.run(SERVICE, order, call, FINAL, () -> deadline(call).reserveStock(request(order, call, 0)));
    }

    public void release(PlaceOrder order, StepCall call) {
        ParticipantCall.run(SERVICE, order, call, Map.of(), () -> deadline(call).releaseStock(branch(call)));
    }

    public void tryReserve(PlaceOrder order, StepCall call) {
        ParticipantCall.run(SERVICE, order, call, FINAL, () -> deadline(call).tryReserve(request(order, call, hold.toMillis())));
    }

    public void confirm(PlaceOrder order, StepCall call) {
        ParticipantCall.run(SERVICE, order, call, Map.of(), () -> deadline(call).confirmReservation(branch(call)));
    }

    public void cancel(PlaceOrder order, StepCall call) {
        ParticipantCall.run(SERVICE, order, call, Map.of(), () -> deadline(call).cancelReservation(branch(call)));
    }

    private StockReservationServiceGrpc.StockReservationServiceBlockingStub deadline(StepCall call) {
        return stub.withDeadlineAfter(call.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static StockRequest request(PlaceOrder order, StepCall call, long holdMillis) {
        StockRequest.Builder request = StockRequest.newBuilder().setXid(call.xid()).setBranch(call.step()).setHoldMillis(holdMillis);
        for (PlaceOrder.Line line : order.lines()) {
            request.addLines(StockLine.newBuilder().setProductId(line.productId().toString()).setQuantity(line.quantity()));
        }
        return request.build();
    }

    private static BranchRef branch(StepCall call) {
        return BranchRef.newBuilder().setXid(call.xid()).setBranch(call.step()).build();
    }
}
