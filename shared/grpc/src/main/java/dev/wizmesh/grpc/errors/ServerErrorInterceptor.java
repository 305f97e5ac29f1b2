package dev.wizmesh.grpc.errors;

import dev.wizmesh.platform.errors.ApiException;
import io.grpc.ForwardingServerCall;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server side: what a handler's failure looks like on the wire.
 *
 * <ul>
 *   <li>{@link ApiException} (thrown, or passed to {@code responseObserver.onError}): its code's
 *       gRPC status with a {@code google.rpc.ErrorInfo} ({@link GrpcErrors#toStatusException}).</li>
 *   <li>a {@link StatusRuntimeException}/{@link StatusException} the handler built itself: as is.</li>
 *   <li>anything else: {@code INTERNAL} with our generic message, never the exception's class or
 *       message; the stack trace goes to the log, with the request id from the MDC.</li>
 * </ul>
 *
 * Both routes are covered: an exception thrown out of a callback (which grpc-java would otherwise
 * turn into a bare UNKNOWN) and a status closed with an exception as its cause (what
 * {@code StreamObserver.onError} does).
 */
public class ServerErrorInterceptor implements ServerInterceptor {
    private static final Logger LOG = LoggerFactory.getLogger(ServerErrorInterceptor.class);
    static final String INTERNAL_MESSAGE = "An unexpected error occurred; quote the request id when reporting it";

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        MappingCall<Q, R> mapping = new MappingCall<>(call);
        ServerCall.Listener<Q> delegate;
        try {
            delegate = next.startCall(mapping, headers);
        } catch (RuntimeException e) {
            mapping.fail(e);
            return new ServerCall.Listener<>() { };
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            @Override
            public void onMessage(Q message) {
                try {
                    super.onMessage(message);
                } catch (RuntimeException e) {
                    mapping.fail(e);
                }
            }

            @Override
            public void onHalfClose() {
                try {
                    super.onHalfClose();
                } catch (RuntimeException e) {
                    mapping.fail(e);
                }
            }

            @Override
            public void onReady() {
                try {
                    super.onReady();
                } catch (RuntimeException e) {
                    mapping.fail(e);
                }
            }
        };
    }

    /** Rewrites a close whose cause is one of ours (or a bug) before it reaches the wire. */
    private static final class MappingCall<Q, R> extends ForwardingServerCall.SimpleForwardingServerCall<Q, R> {
        private final AtomicBoolean closed = new AtomicBoolean();

        MappingCall(ServerCall<Q, R> delegate) {
            super(delegate);
        }

        void fail(Throwable t) {
            Metadata trailers = Status.trailersFromThrowable(t);
            close(Status.fromThrowable(t).withCause(t), trailers == null ? new Metadata() : trailers);
        }

        @Override
        public void close(Status status, Metadata trailers) {
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            Throwable cause = status.getCause();
            if (cause instanceof ApiException api) {
                StatusRuntimeException wire = GrpcErrors.toStatusException(api);
                trailers.merge(wire.getTrailers());
                // the cause stays for the span and the logs (wizmesh.error.code); it is never sent
                status = wire.getStatus().withCause(api);
            } else if (cause != null && !(cause instanceof StatusRuntimeException) && !(cause instanceof StatusException)
                    && status.getCode() == Status.Code.UNKNOWN) {
                LOG.error("gRPC call {} failed", getMethodDescriptor().getFullMethodName(), cause);
                // the cause stays for the span's exception event; it is never sent
                status = Status.INTERNAL.withDescription(INTERNAL_MESSAGE).withCause(cause);
            }
            super.close(status, trailers);
        }
    }
}
