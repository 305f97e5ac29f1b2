package dev.wizmesh.platform.errors;

import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.io.EofException;

/**
 * A failure reading the request that the client caused, which reaches the resource as an
 * exception from Jetty: a body that stopped arriving (the connection's idle timeout fired while
 * the resource waited for it) or a connection closed in the middle of the body. Reported as 500
 * they would read as our bug; they are the client's, so a 4xx, as Jetty itself answers when it
 * finds the same before the resource runs.
 */
public record ClientSideFailure(ErrorCode code, String reason) {
    /** How deep to look through causes: Jersey wraps what Jetty throws once or twice. */
    private static final int MAX_DEPTH = 5;

    public static Optional<ClientSideFailure> of(Throwable failure) {
        Throwable e = failure;
        for (int depth = 0; e != null && depth < MAX_DEPTH; depth++, e = e.getCause()) {
            if (e instanceof TimeoutException && thrownByJetty(e)) {
                return Optional.of(new ClientSideFailure(ErrorCode.REQUEST_TIMEOUT, "the request body stopped arriving"));
            }
            if (e instanceof EofException) {
                return Optional.of(new ClientSideFailure(ErrorCode.BAD_REQUEST, "the connection closed before the request body ended"));
            }
        }
        return Optional.empty();
    }

    /** Our own code's timeouts (a future that took too long) are ours to answer, not the client's. */
    private static boolean thrownByJetty(Throwable e) {
        StackTraceElement[] stack = e.getStackTrace();
        return stack.length > 0 && stack[0].getClassName().startsWith("org.eclipse.jetty.io.");
    }
}
