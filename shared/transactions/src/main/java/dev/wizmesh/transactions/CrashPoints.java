package dev.wizmesh.transactions;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault injection for the crash drills: the process halts, as SIGKILL would (no shutdown hooks,
 * no finally blocks), the n-th time it reaches a named point. Off unless
 * {@code WIZMESH_CRASH_AT=<point>:<n>} is set (environment or system property), so a test can
 * crash order-svc exactly between committing an attempt and calling the participant, or in the
 * middle of a compensation, instead of hoping a random kill lands there.
 *
 * <p>Points: {@code before-call} (the attempt is committed RUNNING, the call not sent),
 * {@code after-call} (the participant applied it, the log does not say so yet),
 * {@code compensating} (about to send an undo).
 */
public final class CrashPoints {
    private static final Logger LOG = LoggerFactory.getLogger(CrashPoints.class);
    private static final String SETTING = "WIZMESH_CRASH_AT";
    private static final String POINT;
    private static final int AT;
    private static final AtomicInteger REACHED = new AtomicInteger();

    static {
        String spec = System.getProperty(SETTING, System.getenv(SETTING));
        String point = null;
        int at = 0;
        if (spec != null && !spec.isBlank()) {
            String[] parts = spec.trim().toLowerCase(Locale.ROOT).split(":");
            point = parts[0];
            at = parts.length > 1 ? Integer.parseInt(parts[1]) : 1;
            LOG.warn("crash drill armed: this process halts the {}th time it reaches '{}'", at, point);
        }
        POINT = point;
        AT = at;
    }

    private CrashPoints() {
    }

    /** Halts the process here if this is the armed point and its turn has come. */
    public static void reached(String point) {
        if (POINT != null && POINT.equals(point) && REACHED.incrementAndGet() == AT) {
            LOG.error("crash drill: halting at '{}' (reached {} times)", point, AT);
            Runtime.getRuntime().halt(137);
        }
    }
}
