package dev.wizmesh.order.transaction;

import dev.wizmesh.grpc.user.v1.PaymentBranchRef;
import dev.wizmesh.grpc.user.v1.PaymentRequest;
import dev.wizmesh.grpc.user.v1.WalletPaymentServiceGrpc;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.transactions.StepCall;
import io.grpc.Channel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * user-svc's side of placing an order ({@code wizmesh.user.v1.WalletPaymentService}): the buyer
 * pays the order's total from their wallet. A buyer without a wallet cannot pay: the order is
 * cancelled as {@code INSUFFICIENT_FUNDS}.
 */
public final class WalletParticipant {
    public static final String SERVICE = "user-svc";
    private static final Map<ErrorCode, String> FINAL = Map.of(
            ErrorCode.INSUFFICIENT_FUNDS, "INSUFFICIENT_FUNDS",
            ErrorCode.WALLET_NOT_FOUND, "INSUFFICIENT_FUNDS",
            ErrorCode.USER_NOT_FOUND, "INSUFFICIENT_FUNDS");

    private final WalletPaymentServiceGrpc.WalletPaymentServiceBlockingStub stub;
    private final Duration hold;

    public WalletParticipant(Channel channel, Duration hold) {
        this.stub = WalletPaymentServiceGrpc.newBlockingStub(channel);
        this.hold = hold;
    }

    public void debit(PlaceOrder order, StepCall call) {
        ParticipantCall.run(SERVICE, order, call, FINAL, () -> deadline(call).debit(request(order, call, 0)));
    }

    public void refund(PlaceOrder order, StepCall call) {
        ParticipantCall.run(SERVICE, order, call, Map.of(), () -> deadline(call).refund(branch(call)));
    }

    public void tryHold(PlaceOrder order, StepCall call) {
        ParticipantCall.run(SERVICE, order, call, FINAL, () -> deadline(call).tryHold(request(order, call, hold.toMillis())));
    }

    public void confirm(PlaceOrder order, StepCall call) {
        ParticipantCall.run(SERVICE, order, call, Map.of(), () -> deadline(call).confirmHold(branch(call)));
    }

    public void cancel(PlaceOrder order, StepCall call) {
        ParticipantCall.run(SERVICE, order, call, Map.of(), () -> deadline(call).cancelHold(branch(call)));
    }

    private WalletPaymentServiceGrpc.WalletPaymentServiceBlockingStub deadline(StepCall call) {
        return stub.withDeadlineAfter(call.timeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static PaymentRequest request(PlaceOrder order, StepCall call, long holdMillis) {
        return PaymentRequest.newBuilder().setXid(call.xid()).setBranch(call.step())
                .setUserId(order.buyerId().toString()).setAmountCents(order.totalCents()).setCurrency(order.currency())
                .setHoldMillis(holdMillis).build();
    }

    private static PaymentBranchRef branch(StepCall call) {
        return PaymentBranchRef.newBuilder().setXid(call.xid()).setBranch(call.step()).build();
    }
}
