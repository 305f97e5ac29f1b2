package dev.wizmesh.testing;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Runs clean-up work when the test JVM exits, newest first, in one thread.
 *
 * <p>The servers are shared by every test class in the JVM, so no single test knows when the last user is done:
 * the JVM exit is the only point where stopping them is safe. Separate JVM shutdown hooks would run at the same
 * time, and a server still writing its log while its directory is deleted leaves the directory behind; here a
 * server registered after creating its directory is stopped before the directory is deleted, as with
 * try-with-resources.
 */
final class ShutdownHooks {

    private static final Deque<Runnable> TASKS = new ArrayDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ShutdownHooks::runAll, "wizmesh-testing-shutdown"));
    }

    private ShutdownHooks() {
    }

    static synchronized void register(Runnable task) {
        TASKS.push(task);
    }

    private static synchronized Runnable next() {
        return TASKS.poll();
    }

    private static void runAll() {
        for (Runnable task = next(); task != null; task = next()) {
            try {
                task.run();
            } catch (RuntimeException e) {
                // Keep going: the remaining servers and directories still need cleaning up.
            }
        }
    }
}
