package dev.wizmesh.registry.core;

/** Monotonic time in milliseconds; injectable so lease logic is tested without sleeping. */
@FunctionalInterface
public interface Clock {
    long millis();

    Clock SYSTEM = () -> System.nanoTime() / 1_000_000;
}
