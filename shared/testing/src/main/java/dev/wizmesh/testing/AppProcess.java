package dev.wizmesh.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs an app (a shaded jar, or a main class on a class path) as a separate JVM process, for system tests that
 * need a real process: real signals, real ports, real start-up and shut-down.
 *
 * <pre>{@code
 * try (AppProcess app = AppProcess.builder().jar(jar).command("server").config(config).logFile(log).build().start()) {
 *     app.awaitHttp(URI.create("http://127.0.0.1:" + adminPort + "/healthcheck"), Duration.ofSeconds(30));
 *     ...
 *     assertThat(app.stop().exitCode()).isEqualTo(143);
 * }
 * }</pre>
 *
 * <p>The process's stdout and stderr go to its log file (a temporary one unless {@link Builder#logFile} is given),
 * never to the test's output; {@link #log()} reads it back. A JVM shutdown hook kills any process still running
 * when the test JVM exits, so a failed test cannot leave an app holding a port.
 */
public final class AppProcess implements AutoCloseable {

    /** Exit code of a JVM ended by SIGTERM (128 + 15) when nothing calls System.exit. */
    public static final int SIGTERM_EXIT_CODE = 143;
    /** Exit code of a process ended by SIGKILL (128 + 9). */
    public static final int SIGKILL_EXIT_CODE = 137;

    private static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final List<String> commandLine;
    private final Map<String, String> environment;
    private final Path logFile;
    private Process process;

    private AppProcess(List<String> commandLine, Map<String, String> environment, Path logFile) {
        this.commandLine = List.copyOf(commandLine);
        this.environment = Map.copyOf(environment);
        this.logFile = logFile;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts the process and returns at once; see {@link #awaitHttp} to wait until it is ready. */
    public synchronized AppProcess start() throws IOException {
        if (process != null) {
            throw new IllegalStateException("already started: " + commandLine);
        }
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        Process started = processBuilder().start();
        process = started;
        // Killed before its (default, temporary) log directory is deleted: see ShutdownHooks.
        ShutdownHooks.register(() -> {
            started.descendants().forEach(ProcessHandle::destroyForcibly);
            started.destroyForcibly();
        });
        return this;
    }

    /**
     * Runs the process to completion, for one-shot commands such as {@code check config.yml}; the output is
     * also in the log file. A process still running after the timeout is killed and this throws.
     */
    public RunResult run(Duration timeout) throws IOException, InterruptedException {
        start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException("still running after " + timeout + ", killed: " + commandLine);
        }
        return new RunResult(process.exitValue(), log());
    }

    /**
     * Polls {@code url} until it answers 200. Fails as soon as the process exits, or when the timeout passes,
     * with the end of the log in the message.
     */
    public void awaitHttp(URI url, Duration timeout) throws InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(POLL_INTERVAL.multipliedBy(10)).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String lastOutcome = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!started().isAlive()) {
                throw new IllegalStateException("exited with code " + process.exitValue() + " before " + url
                        + " answered 200" + logTail());
            }
            try {
                int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return;
                }
                lastOutcome = "status " + status;
            } catch (IOException e) {
                lastOutcome = e.toString();
            }
            Thread.sleep(POLL_INTERVAL.toMillis());
        }
        throw new IllegalStateException(url + " did not answer 200 within " + timeout + " (last: " + lastOutcome + ")"
                + logTail());
    }

    public long pid() {
        return started().pid();
    }

    public boolean isAlive() {
        return started().isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** Everything the process has written to stdout and stderr so far. */
    public String log() {
        try {
            return Files.exists(logFile) ? Files.readString(logFile, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@link #stop(Duration)} with a 30 second timeout. */
    public StopResult stop() throws InterruptedException {
        return stop(DEFAULT_STOP_TIMEOUT);
    }

    /**
     * Sends SIGTERM and waits for the process to exit, as an orchestrator would on a rolling deploy. A process that
     * has not exited within the timeout is killed and this throws, since it would not have shut down gracefully.
     */
    public StopResult stop(Duration timeout) throws InterruptedException {
        long startNanos = System.nanoTime();
        started().destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            kill();
            throw new IllegalStateException("did not exit within " + timeout + " of SIGTERM, killed" + logTail());
        }
        return new StopResult(process.exitValue(), Duration.ofNanos(System.nanoTime() - startNanos));
    }

    /** Sends SIGKILL (a crash, an OOM kill) and returns the exit code once the process is gone. */
    public int kill() throws InterruptedException {
        started().destroyForcibly();
        return process.waitFor();
    }

    /** Kills the process if it is still running: clean-up for try-with-resources after a failed assertion. */
    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            kill();
        }
    }

    private synchronized Process started() {
        if (process == null) {
            throw new IllegalStateException("not started: " + commandLine);
        }
        return process;
    }

    private ProcessBuilder processBuilder() {
        ProcessBuilder builder = new ProcessBuilder(commandLine)
                .redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(environment);
        return builder;
    }

    private String logTail() {
        List<String> lines = log().lines().toList();
        return "\n--- last lines of " + logFile + " ---\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    /** How a {@link #stop} went: the exit code and the time from SIGTERM to exit. */
    public record StopResult(int exitCode, Duration took) {
    }

    /** How a {@link #run} went: the exit code and everything printed. */
    public record RunResult(int exitCode, String output) {
    }

    /** Builds the command line {@code java [jvmArgs] (-jar jar | -cp classpath mainClass) [command] [args] [config]}. */
    public static final class Builder {

        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private List<String> launchTarget;
        private String command;
        private Path config;
        private Path logFile;

        private Builder() {
        }

        /** Runs {@code java -jar jar}, e.g. an app's shaded jar. */
        public Builder jar(Path jar) {
            launchTarget = List.of("-jar", jar.toAbsolutePath().toString());
            return this;
        }

        /** Runs {@code java -cp classpath mainClass}, e.g. a class from the test class path. */
        public Builder mainClass(String mainClass, String classpath) {
            launchTarget = List.of("-cp", classpath, mainClass);
            return this;
        }

        /** The app's command, e.g. {@code server}, {@code check} or {@code db}. */
        public Builder command(String command) {
            this.command = command;
            return this;
        }

        /** Arguments after the command and before the config file, e.g. {@code migrate}. */
        public Builder args(String... args) {
            this.args.addAll(List.of(args));
            return this;
        }

        /** The config file, passed as the last argument. */
        public Builder config(Path config) {
            this.config = config;
            return this;
        }

        /** Environment variables on top of this JVM's own. */
        public Builder env(Map<String, String> variables) {
            environment.putAll(variables);
            return this;
        }

        public Builder jvmArgs(String... jvmArgs) {
            this.jvmArgs.addAll(List.of(jvmArgs));
            return this;
        }

        /** Where stdout and stderr go (appended); default: a temporary file deleted when the test JVM exits. */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        public AppProcess build() {
            if (launchTarget == null) {
                throw new IllegalStateException("set jar(...) or mainClass(...)");
            }
            List<String> commandLine = new ArrayList<>();
            commandLine.add(javaExecutable());
            commandLine.addAll(jvmArgs);
            commandLine.addAll(launchTarget);
            if (command != null) {
                commandLine.add(command);
            }
            commandLine.addAll(args);
            if (config != null) {
                commandLine.add(config.toAbsolutePath().toString());
            }
            Path log = logFile != null ? logFile : ScratchDirectories.create("wizmesh-app-").resolve("app.log");
            return new AppProcess(commandLine, environment, log);
        }

        /** The java running the tests, so the app runs on the same JDK. */
        private static String javaExecutable() {
            return ProcessHandle.current().info().command()
                    .orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
        }
    }
}
