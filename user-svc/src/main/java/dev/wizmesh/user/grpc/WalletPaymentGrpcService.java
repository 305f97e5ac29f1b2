package dev.wizmesh.user.grpc;

import dev.wizmesh.grpc.user.v1.PaymentBranchRef;
import dev.wizmesh.grpc.user.v1.PaymentReply;
import dev.wizmesh.grpc.user.v1.PaymentRequest;
import dev.wizmesh.grpc.user.v1.WalletPaymentServiceGrpc;
import dev.wizmesh.transactions.fence.FenceOutcome;
import dev.wizmesh.user.core.Payment;
import dev.wizmesh.user.core.WalletPayments;
import io.grpc.stub.StreamObserver;

/**
 * {@code wizmesh.user.v1.WalletPaymentService}: the coordinator of an order (order-svc) takes the
 * buyer's money through it. Thin: arguments in, {@link WalletPayments} decides, the fence's
 * outcome out (APPLIED, DUPLICATE, EMPTY_ROLLBACK). An ApiException thrown here (USER_NOT_FOUND,
 * INSUFFICIENT_FUNDS, a fence refusal such as BRANCH_ALREADY_CANCELLED) crosses the wire with its
 * code, as in {@link UserGrpcService}.
 */
public final class WalletPaymentGrpcService extends WalletPaymentServiceGrpc.WalletPaymentServiceImplBase {
    private final WalletPayments payments;

    public WalletPaymentGrpcService(WalletPayments payments) {
        this.payments = payments;
    }

    @Override
    public void debit(PaymentRequest request, StreamObserver<PaymentReply> response) {
        reply(response, payments.debit(PaymentArguments.branch(request.getXid(), request.getBranch()), payment(request)));
    }

    @Override
    public void refund(PaymentBranchRef request, StreamObserver<PaymentReply> response) {
        reply(response, payments.refund(PaymentArguments.branch(request.getXid(), request.getBranch())));
    }

    @Override
    public void tryHold(PaymentRequest request, StreamObserver<PaymentReply> response) {
        reply(response, payments.tryHold(PaymentArguments.branch(request.getXid(), request.getBranch()), payment(request),
                request.getHoldMillis()));
    }

    @Override
    public void confirmHold(PaymentBranchRef request, StreamObserver<PaymentReply> response) {
        reply(response, payments.confirmHold(PaymentArguments.branch(request.getXid(), request.getBranch())));
    }

    @Override
    public void cancelHold(PaymentBranchRef request, StreamObserver<PaymentReply> response) {
        reply(response, payments.cancelHold(PaymentArguments.branch(request.getXid(), request.getBranch())));
    }

    private static Payment payment(PaymentRequest request) {
        return Payment.of(request.getUserId(), request.getAmountCents(), request.getCurrency());
    }

    private static void reply(StreamObserver<PaymentReply> response, FenceOutcome outcome) {
        response.onNext(PaymentReply.newBuilder().setOutcome(outcome.name()).build());
        response.onCompleted();
    }
}
