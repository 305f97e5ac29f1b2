package dev.wizmesh.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories for server work files, deleted with all their contents when the JVM exits, after
 * the servers started later (see {@link ShutdownHooks}).
 */
final class ScratchDirectories {

    private ScratchDirectories() {
    }

    static Path create(String prefix) {
        try {
            Path directory = Files.createTempDirectory(prefix);
            ShutdownHooks.register(() -> deleteRecursively(directory));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("could not create a temporary directory", e);
        }
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            // Best effort at JVM exit: a leftover directory under the temp dir is harmless.
        }
    }
}
