package dev.wizmesh.devstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * The hand-over to ./run.sh: what the devstack provides, as {@code KEY='value'} lines that a shell can source
 * ({@code set -a; . var/devstack/env}) and export to the apps, whose YAML reads the same variables.
 *
 * <p>The file exists only while the devstack is ready: it is written after every server accepts connections,
 * in one atomic rename (a reader never sees half of it), and deleted on shutdown. So "the file is there" is
 * the readiness signal run.sh and the tests wait for.
 */
final class EnvFile {

    private final Path file;

    EnvFile(Path file) {
        this.file = file;
    }

    void write(Map<String, String> values) {
        StringBuilder text = new StringBuilder("# written by the devstack while it runs; deleted when it stops\n");
        values.forEach((key, value) -> text.append(key).append('=').append(shellQuoted(value)).append('\n'));
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(temporary, text, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new DevStackException("could not write " + file + ": " + e.getMessage(), e);
        }
    }

    void delete() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // run.sh deletes a stale file before it starts the devstack
        }
    }

    Path path() {
        return file;
    }

    /** Single quotes keep every character literal in a shell; a quote inside becomes '\''. */
    static String shellQuoted(String value) {
        return "'" + value.replace("'", "'\\''") + "'";
    }
}
