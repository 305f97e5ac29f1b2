package dev.wizmesh.devstack;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PostgreSQL as the devstack provides it: an embedded server it started ({@link EmbeddedPostgresService}) or a
 * real one it was given ({@link ExternalPostgres}). Either way the apps get the same four variables and create
 * their own databases and roles (their YAML's {@code database.provision}), as the owner named here.
 */
interface PostgresService extends AutoCloseable {

    String host();

    int port();

    /** A role that may create databases and roles: the apps' {@code database.owner}. */
    String ownerUser();

    String ownerPassword();

    /** Stops what this service started; nothing for a server it was given. */
    @Override
    void close();

    /** The variables config/*.yml reads: {@code DB_HOST}, {@code DB_PORT}, {@code DB_OWNER_USER}, {@code DB_OWNER_PASSWORD}. */
    default Map<String, String> environment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("DB_HOST", host());
        env.put("DB_PORT", String.valueOf(port()));
        env.put("DB_OWNER_USER", ownerUser());
        env.put("DB_OWNER_PASSWORD", ownerPassword());
        return env;
    }
}
