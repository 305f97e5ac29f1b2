package dev.wizmesh.grpc.context;

import dev.wizmesh.platform.context.RequestContext;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;

/**
 * Client side: copies the {@link RequestContext} of the calling thread (request id, tenant, user,
 * roles) into the call's metadata, so the service called sees the same caller and request id.
 */
public class ClientContextInterceptor implements ClientInterceptor {
    @Override
    public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        // read now, on the caller's thread: start() may run elsewhere
        RequestContext caller = RequestContext.current().orElse(null);
        return new ForwardingClientCall.SimpleForwardingClientCall<>(next.newCall(method, options)) {
            @Override
            public void start(Listener<R> listener, Metadata headers) {
                if (caller != null) {
                    put(headers, CallerMetadata.REQUEST_ID, caller.requestId());
                    put(headers, CallerMetadata.TENANT_ID, caller.tenantId());
                    put(headers, CallerMetadata.USER_ID, caller.userId());
                    if (!caller.roles().isEmpty()) {
                        put(headers, CallerMetadata.USER_ROLES, String.join(",", caller.roles()));
                    }
                }
                super.start(listener, headers);
            }
        };
    }

    private static void put(Metadata headers, Metadata.Key<String> key, String value) {
        if (value != null) {
            headers.discardAll(key);
            headers.put(key, value);
        }
    }
}
