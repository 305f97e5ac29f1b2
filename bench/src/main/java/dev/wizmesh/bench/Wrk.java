package dev.wizmesh.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * wrk (the C load generator) with one of the bench/wrk/*.lua scripts: a closed loop of requests on
 * keep-alive connections. Latency percentiles are wrk's own (HdrHistogram), read from the
 * {@code WRK_RESULT} line the script's done() prints (with {@code statuses=200:n,...} when the
 * script counts them).
 */
public final class Wrk {
    private final Path script;
    private final List<String> scriptArgs;
    private final int threads;
    private final int connections;

    /** {@code scriptArgs} are the script's own (after {@code --}). */
    public Wrk(Path script, int threads, int connections, String... scriptArgs) {
        this.script = script;
        this.scriptArgs = List.of(scriptArgs);
        this.threads = threads;
        this.connections = connections;
    }

    public static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "wrk"))) {
                return true;
            }
        }
        return false;
    }

    public int threads() {
        return threads;
    }

    public int connections() {
        return connections;
    }

    /** What one run measured; latencies in milliseconds; answers by HTTP status when the script counts them. */
    public record Result(long requests, double seconds, double p50, double p90, double p99, double p999, double max, long errors,
            Map<Integer, Long> statuses) {
        public double perSecond() {
            return requests / seconds;
        }
    }

    public Result run(String url, int seconds) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "5s", "-s", script.toString(), url, "--"));
        command.addAll(scriptArgs);
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        for (String line : output.split("\n")) {
            if (line.startsWith("WRK_RESULT ")) {
                Map<String, Long> v = new HashMap<>();
                Map<Integer, Long> statuses = new TreeMap<>();
                for (String pair : line.substring("WRK_RESULT ".length()).trim().split(" ")) {
                    int eq = pair.indexOf('=');
                    if (pair.startsWith("statuses=")) {
                        for (String count : pair.substring(eq + 1).split(",")) {
                            if (!count.isEmpty()) {
                                String[] codeAndCount = count.split(":");
                                statuses.put(Integer.parseInt(codeAndCount[0]), Long.parseLong(codeAndCount[1]));
                            }
                        }
                    } else {
                        v.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
                    }
                }
                long errors = v.get("connect_errors") + v.get("read_errors") + v.get("write_errors") + v.get("status_errors")
                        + v.get("timeouts");
                return new Result(v.get("requests"), v.get("duration_us") / 1e6, v.get("p50_us") / 1e3, v.get("p90_us") / 1e3,
                        v.get("p99_us") / 1e3, v.get("p999_us") / 1e3, v.get("max_us") / 1e3, errors, statuses);
            }
        }
        throw new IllegalStateException("no WRK_RESULT line in wrk's output: " + output);
    }
}
