package dev.wizmesh.bench.registry;

import dev.wizmesh.bench.Wrk;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The registry benchmark's load through {@link Wrk} with bench/wrk/registry.lua: a closed loop on
 * keep-alive connections, event-driven on one thread, so the server under test gets nearly all of
 * the two shared cores; the result in the shape of the Java fallback's ({@link RawHttpLoad}).
 */
final class WrkLoad {
    private WrkLoad() {
    }

    /** wrk on the PATH (bench/registry.sh installs it when it can). */
    static boolean available() {
        return Wrk.available();
    }

    /**
     * Runs a warm-up, then the measured run.
     *
     * @param scriptArgs passed to the script's init(): "<instances> <token>" for heartbeats, none for a plain GET
     */
    static RawHttpLoad.Result run(Path script, String url, int threads, int connections, int warmupSeconds, int seconds,
                                  String... scriptArgs) throws IOException, InterruptedException {
        Wrk wrk = new Wrk(script, threads, connections, scriptArgs);
        wrk.run(url, warmupSeconds);
        Wrk.Result r = wrk.run(url, seconds);
        return new RawHttpLoad.Result(r.perSecond(), new Percentiles((int) r.requests(), r.p50(), r.p99(), r.max()), r.errors());
    }
}
