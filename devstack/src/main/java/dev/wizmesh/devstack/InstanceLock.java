package dev.wizmesh.devstack;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One devstack per directory: an exclusive OS file lock on {@code devstack.lock}, held for the life of the
 * process. Taken before anything touches the data directory, so a second devstack started by mistake fails
 * before it could run initdb or a second postmaster over the first one's files. The operating system releases
 * the lock when the process dies, however it dies, so a crash never leaves a stale lock behind.
 */
final class InstanceLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private InstanceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static InstanceLock acquire(Path file) {
        try {
            Files.createDirectories(file.getParent());
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                String holder = Files.readString(file, StandardCharsets.UTF_8).trim();
                channel.close();
                throw new DevStackException("another devstack is already running on " + file.getParent()
                        + (holder.isEmpty() ? "" : " (pid " + holder + ")")
                        + "; stop it first (./run.sh stop) or give this one another DEVSTACK_DIR");
            }
            // The holder's pid, only so that the message above can name it.
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes(StandardCharsets.UTF_8)));
            return new InstanceLock(channel, lock);
        } catch (IOException e) {
            throw new DevStackException("could not lock " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            // the lock goes with the process anyway
        }
    }
}
