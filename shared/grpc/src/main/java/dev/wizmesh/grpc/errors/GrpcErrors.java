package dev.wizmesh.grpc.errors;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.ErrorInfo;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Our error codes on the gRPC wire, both ways.
 *
 * <p>Server: an {@link ApiException} becomes the gRPC status its code names
 * ({@link ErrorCode#rpcStatus()}), with the message as description and, in the standard
 * {@code grpc-status-details-bin} trailer, a {@code google.rpc.Status} whose one detail is
 * {@code google.rpc.ErrorInfo{reason: <our code>, domain: "wizmesh", metadata: <details as
 * strings>}} (Google's AIP-193 shape, so grpcurl and any gRPC client can read it).
 *
 * <p>Client: {@link #toApiException} reads that back into the same code and details, so an error
 * crosses any number of hops unchanged; a failure with no ErrorInfo (the peer is down, or did not
 * answer in time) becomes {@code UPSTREAM_UNAVAILABLE} or {@code UPSTREAM_TIMEOUT} naming the
 * service.
 */
public final class GrpcErrors {
    /** {@code ErrorInfo.domain} of every wizmesh error. */
    public static final String DOMAIN = "wizmesh";

    private GrpcErrors() {
    }

    /** The gRPC status code of one of ours (the two enums share the wire numbers). */
    public static Status.Code statusCode(ErrorCode code) {
        return Status.fromCodeValue(code.rpcStatus().value()).getCode();
    }

    /** Server side: the status and trailers an {@link ApiException} is sent as. */
    public static StatusRuntimeException toStatusException(ApiException e) {
        ErrorInfo.Builder info = ErrorInfo.newBuilder().setReason(e.code().name()).setDomain(DOMAIN);
        e.details().forEach((key, value) -> info.putMetadata(key, String.valueOf(value)));
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(e.code().rpcStatus().value())
                .setMessage(e.getMessage())
                .addDetails(Any.pack(info.build()))
                .build();
        return StatusProto.toStatusRuntimeException(status);
    }

    /**
     * Client side: the failure of a call to {@code service} as one of our errors, to throw on (the
     * platform's mappers turn it into the HTTP error body).
     *
     * <ul>
     *   <li>an ErrorInfo of domain wizmesh: its code and details, as the server threw them;</li>
     *   <li>{@code UNAVAILABLE} (no instance, connection refused, the peer went away):
     *       {@code UPSTREAM_UNAVAILABLE} (503), details {@code service};</li>
     *   <li>{@code DEADLINE_EXCEEDED}: {@code UPSTREAM_TIMEOUT} (504), details {@code service};</li>
     *   <li>anything else (a bug in the peer, an unknown method): {@code INTERNAL} (500), details
     *       {@code service} and {@code grpcStatus}; the peer's description is not passed on.</li>
     * </ul>
     */
    public static ApiException toApiException(StatusRuntimeException e, String service) {
        ErrorInfo info = errorInfo(e);
        if (info != null) {
            ErrorCode code = codeNamed(info.getReason());
            if (code != null) {
                return new ApiException(code, new LinkedHashMap<>(info.getMetadataMap()), e);
            }
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("service", service);
        return switch (e.getStatus().getCode()) {
            case UNAVAILABLE -> new ApiException(ErrorCode.UPSTREAM_UNAVAILABLE, details, e);
            case DEADLINE_EXCEEDED -> new ApiException(ErrorCode.UPSTREAM_TIMEOUT, details, e);
            default -> {
                details.put("grpcStatus", e.getStatus().getCode().name());
                yield new ApiException(ErrorCode.INTERNAL, details, e);
            }
        };
    }

    /**
     * Runs a blocking stub call, throwing any failure as {@link #toApiException}:
     * {@code GrpcErrors.call("product-svc", () -> catalog.getProducts(request))}.
     */
    public static <T> T call(String service, Supplier<T> call) {
        try {
            return call.get();
        } catch (StatusRuntimeException e) {
            throw toApiException(e, service);
        }
    }

    /** The wizmesh ErrorInfo a failed call carries, or null. */
    public static ErrorInfo errorInfo(StatusRuntimeException e) {
        com.google.rpc.Status status = StatusProto.fromStatusAndTrailers(e.getStatus(),
                e.getTrailers() == null ? new Metadata() : e.getTrailers());
        if (status == null) {
            return null;
        }
        for (Any detail : status.getDetailsList()) {
            if (detail.is(ErrorInfo.class)) {
                try {
                    ErrorInfo info = detail.unpack(ErrorInfo.class);
                    if (DOMAIN.equals(info.getDomain())) {
                        return info;
                    }
                } catch (InvalidProtocolBufferException ignored) {
                    // not readable: treat as no detail
                }
            }
        }
        return null;
    }

    private static ErrorCode codeNamed(String reason) {
        try {
            return ErrorCode.valueOf(reason);
        } catch (IllegalArgumentException unknown) {
            // a newer peer's code this build does not know: fall back to the status
            return null;
        }
    }
}
