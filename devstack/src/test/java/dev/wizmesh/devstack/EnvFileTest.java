package dev.wizmesh.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvFileTest {

    @Test
    void writesShellAssignmentsThatKeepEveryCharacterLiteral(@TempDir Path dir) throws Exception {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("DB_HOST", "127.0.0.1");
        values.put("DB_OWNER_PASSWORD", "it's $ecret `x`");
        EnvFile file = new EnvFile(dir.resolve("env"));

        file.write(values);

        assertThat(Files.readAllLines(dir.resolve("env"))).contains("DB_HOST='127.0.0.1'",
                "DB_OWNER_PASSWORD='it'\\''s $ecret `x`'");
        Process shell = new ProcessBuilder("bash", "-c", "set -a; . '" + dir.resolve("env") + "'; printf %s \"$DB_OWNER_PASSWORD\"")
                .start();
        assertThat(new String(shell.getInputStream().readAllBytes())).isEqualTo("it's $ecret `x`");
        file.delete();
        assertThat(dir.resolve("env")).doesNotExist();
    }

    @Test
    void redactsThePasswordOfAGivenUrl() {
        assertThat(ExternalPostgres.redacted("jdbc:postgresql://db:5432/postgres?user=u&password=s3cret&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/postgres?user=u&password=***&ssl=true");
    }
}
