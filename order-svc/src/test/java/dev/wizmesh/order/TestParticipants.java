package dev.wizmesh.order;

import dev.wizmesh.grpc.product.v1.BranchRef;
import dev.wizmesh.grpc.product.v1.StockReply;
import dev.wizmesh.grpc.product.v1.StockRequest;
import dev.wizmesh.grpc.product.v1.StockReservationServiceGrpc;
import dev.wizmesh.grpc.user.v1.PaymentBranchRef;
import dev.wizmesh.grpc.user.v1.PaymentReply;
import dev.wizmesh.grpc.user.v1.PaymentRequest;
import dev.wizmesh.grpc.user.v1.WalletPaymentServiceGrpc;
import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import io.grpc.BindableService;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * product-svc's stock and user-svc's wallets as order-svc's own tests need them: the two gRPC
 * contracts over real loopback gRPC, with in-memory stock and balances per tenant and the
 * fence's rules (a repeat changes nothing, an undo without its forward call is an empty
 * rollback). The real participants, with their PostgreSQL fences, are tested in their own
 * modules and together in system-tests.
 */
final class TestParticipants {
    /** Stock per tenant/product; a product with no entry has plenty. */
    final Map<String, AtomicInteger> stock = new ConcurrentHashMap<>();
    /** Balance per tenant/user; a user with no entry has plenty. */
    final Map<String, AtomicInteger> balances = new ConcurrentHashMap<>();
    /** What each branch took (tenant/xid/branch → amount per key), and which were undone. */
    private final Map<String, Map<String, Integer>> taken = new ConcurrentHashMap<>();
    private final Map<String, String> branchState = new ConcurrentHashMap<>();
    /** While set, every payment (debit, hold) fails as if user-svc were down; refunds and cancels get through. */
    volatile boolean paymentsDown;
    /** While set, stock releases fail as if product-svc were down (compensations cannot get through). */
    volatile boolean stockUndoDown;
    /** Delay before each stock call answers (a slow participant). */
    volatile long stockDelayMillis;
    final AtomicInteger walletCalls = new AtomicInteger();

    int stockOf(String tenant, String product) {
        return stock.computeIfAbsent(tenant + "/" + product, k -> new AtomicInteger(1_000_000)).get();
    }

    int balanceOf(String tenant, String user) {
        return balances.computeIfAbsent(tenant + "/" + user, k -> new AtomicInteger(1_000_000)).get();
    }

    List<BindableService> services() {
        return List.of(new Stock(), new Wallet());
    }

    private static String tenant() {
        return RequestContext.current().map(RequestContext::tenantId).orElseThrow();
    }

    /** Forward call of a branch: refused after its undo, a no-op when repeated, else {@code take}. */
    private synchronized String forward(String branch, Supplier<Map<String, Integer>> take) {
        String state = branchState.get(branch);
        if ("CANCELLED".equals(state)) {
            throw new ApiException(ErrorCode.BRANCH_ALREADY_CANCELLED, Map.of("xid", branch, "branch", branch));
        }
        if (state != null) {
            return "DUPLICATE";
        }
        taken.put(branch, take.get());
        branchState.put(branch, "TRIED");
        return "APPLIED";
    }

    private synchronized String undo(String branch, Map<String, AtomicInteger> pool) {
        String state = branchState.put(branch, "CANCELLED");
        if (state == null) {
            return "EMPTY_ROLLBACK";
        }
        if ("CANCELLED".equals(state)) {
            return "DUPLICATE";
        }
        taken.remove(branch).forEach((key, amount) -> pool.get(key).addAndGet(amount));
        return "APPLIED";
    }

    private synchronized String confirm(String branch) {
        String state = branchState.get(branch);
        if (state == null || "CANCELLED".equals(state)) {
            throw new ApiException(state == null ? ErrorCode.BRANCH_NOT_TRIED : ErrorCode.BRANCH_ALREADY_CANCELLED,
                    Map.of("xid", branch, "branch", branch));
        }
        branchState.put(branch, "CONFIRMED");
        return "CONFIRMED".equals(state) ? "DUPLICATE" : "APPLIED";
    }

    private final class Stock extends StockReservationServiceGrpc.StockReservationServiceImplBase {
        private Map<String, Integer> take(StockRequest request) {
            String tenant = tenant();
            for (var line : request.getLinesList()) {
                if (stockOf(tenant, line.getProductId()) < line.getQuantity()) {
                    throw new ApiException(ErrorCode.INSUFFICIENT_STOCK, Map.of("productId", line.getProductId(),
                            "available", stockOf(tenant, line.getProductId()), "requested", line.getQuantity()));
                }
            }
            Map<String, Integer> took = new java.util.HashMap<>();
            for (var line : request.getLinesList()) {
                stock.get(tenant + "/" + line.getProductId()).addAndGet((int) -line.getQuantity());
                took.put(tenant + "/" + line.getProductId(), (int) line.getQuantity());
            }
            return took;
        }

        private void answer(StreamObserver<StockReply> response, Supplier<String> outcome) {
            try {
                Thread.sleep(stockDelayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            response.onNext(StockReply.newBuilder().setOutcome(outcome.get()).build());
            response.onCompleted();
        }

        private String key(String xid, String branch) {
            return tenant() + "/" + xid + "/" + branch;
        }

        @Override
        public void reserveStock(StockRequest request, StreamObserver<StockReply> response) {
            answer(response, () -> forward(key(request.getXid(), request.getBranch()), () -> take(request)));
        }

        @Override
        public void tryReserve(StockRequest request, StreamObserver<StockReply> response) {
            reserveStock(request, response);
        }

        @Override
        public void releaseStock(BranchRef request, StreamObserver<StockReply> response) {
            if (stockUndoDown) {
                throw Status.UNAVAILABLE.withDescription("product-svc is down").asRuntimeException();
            }
            answer(response, () -> undo(key(request.getXid(), request.getBranch()), stock));
        }

        @Override
        public void cancelReservation(BranchRef request, StreamObserver<StockReply> response) {
            releaseStock(request, response);
        }

        @Override
        public void confirmReservation(BranchRef request, StreamObserver<StockReply> response) {
            answer(response, () -> confirm(key(request.getXid(), request.getBranch())));
        }
    }

    private final class Wallet extends WalletPaymentServiceGrpc.WalletPaymentServiceImplBase {
        private void answer(StreamObserver<PaymentReply> response, Supplier<String> outcome) {
            walletCalls.incrementAndGet();
            response.onNext(PaymentReply.newBuilder().setOutcome(outcome.get()).build());
            response.onCompleted();
        }

        private String key(String xid, String branch) {
            return tenant() + "/" + xid + "/" + branch;
        }

        private void payment(PaymentRequest request, StreamObserver<PaymentReply> response) {
            if (paymentsDown) {
                walletCalls.incrementAndGet();
                throw Status.UNAVAILABLE.withDescription("user-svc is down").asRuntimeException();
            }
            answer(response, () -> forward(key(request.getXid(), request.getBranch()), () -> take(request)));
        }

        private Map<String, Integer> take(PaymentRequest request) {
            String wallet = tenant() + "/" + request.getUserId();
            if (balanceOf(tenant(), request.getUserId()) < request.getAmountCents()) {
                throw new ApiException(ErrorCode.INSUFFICIENT_FUNDS, Map.of("balanceCents", balanceOf(tenant(), request.getUserId()),
                        "amountCents", request.getAmountCents()));
            }
            balances.get(wallet).addAndGet((int) -request.getAmountCents());
            return Map.of(wallet, (int) request.getAmountCents());
        }

        @Override
        public void debit(PaymentRequest request, StreamObserver<PaymentReply> response) {
            payment(request, response);
        }

        @Override
        public void tryHold(PaymentRequest request, StreamObserver<PaymentReply> response) {
            payment(request, response);
        }

        @Override
        public void refund(PaymentBranchRef request, StreamObserver<PaymentReply> response) {
            answer(response, () -> undo(key(request.getXid(), request.getBranch()), balances));
        }

        @Override
        public void cancelHold(PaymentBranchRef request, StreamObserver<PaymentReply> response) {
            refund(request, response);
        }

        @Override
        public void confirmHold(PaymentBranchRef request, StreamObserver<PaymentReply> response) {
            answer(response, () -> confirm(key(request.getXid(), request.getBranch())));
        }
    }
}
