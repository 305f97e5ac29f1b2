package dev.wizmesh.bench.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Drives wrk (the C load generator) with bench/wrk/registry.lua: a closed loop on keep-alive
 * connections, event-driven on one thread, so the server under test gets nearly all of the two
 * shared cores. Latency percentiles are wrk's own (its HdrHistogram), read from the line the
 * script's done() prints.
 */
final class WrkLoad {
    private WrkLoad() {
    }

    /** wrk on the PATH (bench/registry.sh installs it when it can). */
    static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "wrk"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Runs a warm-up, then the measured run.
     *
     * @param scriptArgs passed to the script's init(): "<instances> <token>" for heartbeats, none for a plain GET
     */
    static RawHttpLoad.Result run(Path script, String url, int threads, int connections, int warmupSeconds, int seconds,
                                  String... scriptArgs) throws IOException, InterruptedException {
        once(script, url, threads, connections, warmupSeconds, scriptArgs);
        Map<String, Long> r = once(script, url, threads, connections, seconds, scriptArgs);
        long errors = r.get("connect_errors") + r.get("read_errors") + r.get("write_errors") + r.get("status_errors")
                + r.get("timeouts");
        double perSecond = r.get("requests") / (r.get("duration_us") / 1e6);
        Percentiles latency = new Percentiles(r.get("requests").intValue(), r.get("p50_us") / 1e3, r.get("p99_us") / 1e3,
                r.get("max_us") / 1e3);
        return new RawHttpLoad.Result(perSecond, latency, errors);
    }

    private static Map<String, Long> once(Path script, String url, int threads, int connections, int seconds, String... scriptArgs)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "5s", "-s", script.toString(), url));
        if (scriptArgs.length > 0) {
            command.add("--");
            command.addAll(List.of(scriptArgs));
        }
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        for (String line : output.split("\n")) {
            if (line.startsWith("WRK_RESULT ")) {
                Map<String, Long> values = new HashMap<>();
                for (String pair : line.substring("WRK_RESULT ".length()).trim().split(" ")) {
                    int eq = pair.indexOf('=');
                    values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
                }
                return values;
            }
        }
        throw new IllegalStateException("no WRK_RESULT line in wrk's output: " + output);
    }
}
