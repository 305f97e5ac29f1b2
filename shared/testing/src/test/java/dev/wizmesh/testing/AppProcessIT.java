package dev.wizmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppProcessIT {

    @TempDir
    Path dir;

    @Test
    void startsAwaitsAndStopsWithSigterm() throws Exception {
        int port = FreePorts.next();
        Path log = dir.resolve("logs/app.log");
        try (AppProcess app = tinyApp("server", port).logFile(log).build().start()) {
            app.awaitHttp(health(port), Duration.ofSeconds(20));

            assertThat(app.pid()).isPositive().isNotEqualTo(ProcessHandle.current().pid());
            assertThat(app.log()).contains("started as wizmesh");

            AppProcess.StopResult stopped = app.stop(Duration.ofSeconds(10));
            assertThat(stopped.exitCode()).isEqualTo(AppProcess.SIGTERM_EXIT_CODE);
            assertThat(stopped.took()).isLessThan(Duration.ofSeconds(10));
            assertThat(app.isAlive()).isFalse();
            assertThat(Files.readString(log)).contains("stopping");
        }
    }

    @Test
    void killEndsTheProcessWithoutItsShutdownHooks() throws Exception {
        int port = FreePorts.next();
        try (AppProcess app = tinyApp("server", port).build().start()) {
            app.awaitHttp(health(port), Duration.ofSeconds(20));

            assertThat(app.kill()).isEqualTo(AppProcess.SIGKILL_EXIT_CODE);
            assertThat(app.log()).doesNotContain("stopping");
        }
    }

    @Test
    void awaitHttpFailsFastWhenTheProcessExits() throws Exception {
        try (AppProcess app = tinyApp("check", 0).build().start()) {
            assertThatThrownBy(() -> app.awaitHttp(health(FreePorts.next()), Duration.ofSeconds(20)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("exited with code 1");
        }
    }

    @Test
    void runReturnsTheExitCodeAndOutputOfAOneShotCommand() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yml"), "server: {}\n");

        AppProcess.RunResult valid = tinyApp("check", 0).config(config).build().run(Duration.ofSeconds(20));
        assertThat(valid.exitCode()).isZero();
        assertThat(valid.output()).contains("is valid");

        AppProcess.RunResult missing = tinyApp("check", 0).config(dir.resolve("missing.yml")).build()
                .run(Duration.ofSeconds(20));
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.output()).contains("does not exist");
    }

    private AppProcess.Builder tinyApp(String command, int port) {
        return AppProcess.builder()
                .mainClass(TinyHttpApp.class.getName(), System.getProperty("java.class.path"))
                .jvmArgs("-Xmx64m", "-XX:TieredStopAtLevel=1", "-Dtiny.name=wizmesh")
                .env(Map.of("PORT", Integer.toString(port)))
                .command(command)
                .config(dir.resolve("config.yml"));
    }

    private static URI health(int port) {
        return URI.create("http://127.0.0.1:" + port + "/health");
    }
}
