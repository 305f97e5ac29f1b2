package dev.wizmesh.testing;

import java.util.Optional;

/** Reads the environment variables that point the fixtures at servers that are already running. */
final class ExternalServers {

    static final String POSTGRES_URL = "WIZMESH_TEST_POSTGRES_URL";
    static final String REDIS_URL = "WIZMESH_TEST_REDIS_URL";
    static final String AMQP_URI = "WIZMESH_TEST_AMQP_URI";

    private ExternalServers() {
    }

    /** The variable's value, or empty when it is unset or blank (so {@code VAR=} switches back to embedded). */
    static Optional<String> url(String variable) {
        return Optional.ofNullable(System.getenv(variable)).map(String::trim).filter(value -> !value.isEmpty());
    }
}
