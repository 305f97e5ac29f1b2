package dev.wizmesh.order.transaction;

import dev.wizmesh.grpc.errors.GrpcErrors;
import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.transactions.StepCall;
import dev.wizmesh.transactions.StepRejected;
import io.grpc.StatusRuntimeException;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One call to a participant from a coordinator thread. There is no HTTP request on that thread,
 * so the caller's context (tenant, buyer, request id) is put there for the gRPC interceptors to
 * send, exactly as they would during the request. Its failure is sorted into "final, compensate"
 * ({@link StepRejected}, with the order's cancel reason) and "worth a retry" (anything else).
 */
final class ParticipantCall {
    /** A participant's fence refused the call: the transaction has already moved past this branch. */
    private static final Set<ErrorCode> FENCE_REFUSALS = Set.of(ErrorCode.BRANCH_ALREADY_CANCELLED,
            ErrorCode.BRANCH_ALREADY_CONFIRMED, ErrorCode.BRANCH_NOT_TRIED);

    private ParticipantCall() {
    }

    /**
     * A refusal of the request itself (a 4xx-like code: bad argument, conflict, not found) does
     * not change with a retry; a timeout or "too many requests" might.
     */
    private static boolean isFinal(ErrorCode code) {
        int status = code.httpStatus();
        return status >= 400 && status < 500 && status != 408 && status != 429;
    }

    /**
     * @param finalFailures the participant's codes that no retry can change, mapped to the
     *                      order's cancel reason ({@code INSUFFICIENT_STOCK} → {@code OUT_OF_STOCK})
     */
    static <T> T run(String service, PlaceOrder order, StepCall call, Map<ErrorCode, String> finalFailures, Supplier<T> grpc) {
        RequestContext caller = new RequestContext(order.requestId(), call.tenantId().toString(), order.buyerId().toString(),
                Set.of());
        try (RequestContext.Scope ignored = caller.attach()) {
            return grpc.get();
        } catch (StatusRuntimeException e) {
            ApiException failure = GrpcErrors.toApiException(e, service);
            String reason = finalFailures.get(failure.code());
            if (reason != null) {
                throw new StepRejected(reason, service + ": " + failure.getMessage());
            }
            if (FENCE_REFUSALS.contains(failure.code()) || isFinal(failure.code())) {
                throw new StepRejected(failure.code().name(), service + ": " + failure.getMessage());
            }
            throw failure; // unavailable, timed out, or a bug over there: retried by the step's policy
        }
    }
}
