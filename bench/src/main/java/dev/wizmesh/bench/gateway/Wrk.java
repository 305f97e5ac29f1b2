package dev.wizmesh.bench.gateway;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * wrk (the C load generator) with bench/wrk/gateway.lua: a closed loop of GETs on keep-alive
 * connections. Latency percentiles are wrk's own (HdrHistogram), read from the line the script's
 * done() prints.
 */
final class Wrk {
    private final Path script;
    private final Path tokens;
    private final int threads;
    private final int connections;

    Wrk(Path script, Path tokens, int threads, int connections) {
        this.script = script;
        this.tokens = tokens;
        this.threads = threads;
        this.connections = connections;
    }

    static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "wrk"))) {
                return true;
            }
        }
        return false;
    }

    int threads() {
        return threads;
    }

    int connections() {
        return connections;
    }

    /** What one run measured; latencies in milliseconds. */
    record Result(long requests, double seconds, double p50, double p90, double p99, double p999, double max, long errors) {
        double perSecond() {
            return requests / seconds;
        }
    }

    Result run(String url, int seconds) throws IOException, InterruptedException {
        List<String> command = List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--timeout", "5s",
                "-s", script.toString(), url, "--", tokens.toString());
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        for (String line : output.split("\n")) {
            if (line.startsWith("WRK_RESULT ")) {
                Map<String, Long> v = new HashMap<>();
                for (String pair : line.substring("WRK_RESULT ".length()).trim().split(" ")) {
                    int eq = pair.indexOf('=');
                    v.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
                }
                long errors = v.get("connect_errors") + v.get("read_errors") + v.get("write_errors") + v.get("status_errors")
                        + v.get("timeouts");
                return new Result(v.get("requests"), v.get("duration_us") / 1e6, v.get("p50_us") / 1e3, v.get("p90_us") / 1e3,
                        v.get("p99_us") / 1e3, v.get("p999_us") / 1e3, v.get("max_us") / 1e3, errors);
            }
        }
        throw new IllegalStateException("no WRK_RESULT line in wrk's output: " + output);
    }
}
