package dev.wizmesh.grpc.deadline;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.Context;
import io.grpc.MethodDescriptor;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Client side: no call goes out without a deadline. A call that has one keeps it: either set on
 * the stub ({@code stub.withDeadlineAfter(...)}), or inherited from the current
 * {@link io.grpc.Context} (inside a gRPC handler that is the deadline of the call being served, so
 * a chain of calls shares the first caller's budget: grpc-java sends the smaller of the two as
 * {@code grpc-timeout}). Only a call with neither gets the default from YAML
 * ({@code grpcClient.defaultDeadline}), so a hung peer can never hang the caller.
 */
public class DefaultDeadlineInterceptor implements ClientInterceptor {
    private final long defaultNanos;

    public DefaultDeadlineInterceptor(Duration defaultDeadline) {
        this.defaultNanos = defaultDeadline.toNanos();
    }

    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        if (options.getDeadline() == null && Context.current().getDeadline() == null) {
            options = options.withDeadlineAfter(defaultNanos, TimeUnit.NANOSECONDS);
        }
        return next.newCall(method, options);
    }
}
