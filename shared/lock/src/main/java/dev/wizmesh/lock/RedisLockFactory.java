package dev.wizmesh.lock;

import com.codahale.metrics.health.HealthCheck;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.platform.PlatformBundle;
import io.dropwizard.core.setup.Environment;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;

/**
 * The {@code lock:} block of an app's YAML:
 *
 * <pre>
 * lock:
 *   uri: ${REDIS_URL:-redis://127.0.0.1:6379}
 *   namespace: "cron-svc:"
 *   timeout: 2s          # connect and read timeout of every Redis call
 * </pre>
 *
 * {@link #build} opens the client, closes it with the app, and adds a non-critical {@code redis-lock}
 * health check: without Redis no lock can be taken (callers get {@link LockUnavailableException}),
 * but the rest of the service serves on.
 */
public class RedisLockFactory {
    @NotNull
    private URI uri = URI.create("redis://127.0.0.1:6379");

    @NotNull
    private String namespace = "wizmesh:";

    @NotNull
    private Duration timeout = Duration.seconds(2);

    @JsonProperty
    public URI getUri() {
        return uri;
    }

    @JsonProperty
    public void setUri(URI uri) {
        this.uri = uri;
    }

    @JsonProperty
    public String getNamespace() {
        return namespace;
    }

    @JsonProperty
    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    @JsonProperty
    public Duration getTimeout() {
        return timeout;
    }

    @JsonProperty
    public void setTimeout(Duration timeout) {
        this.timeout = timeout;
    }

    /** The locks, on a client of their own, closed with the app, with a health check. */
    public RedisLocks build(Environment environment, PlatformBundle<?> platform) {
        RedisLocks locks = build();
        environment.lifecycle().manage(new Managed() {
            @Override
            public void stop() {
                locks.close();
            }
        });
        platform.healthChecks().nonCritical("redis-lock", new HealthCheck() {
            @Override
            protected Result check() {
                try {
                    return locks.ping() ? Result.healthy("Redis at %s:%d answers", uri.getHost(), port())
                            : Result.unhealthy("Redis at %s:%d does not answer PING", uri.getHost(), port());
                } catch (LockUnavailableException e) {
                    return Result.unhealthy("Redis at %s:%d cannot be reached: no lock can be taken (%s)", uri.getHost(), port(),
                            e.getCause().getMessage());
                }
            }
        });
        return locks;
    }

    /** The locks without a Dropwizard environment (tests, tools); the caller closes them. */
    public RedisLocks build() {
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("lock.uri must look like redis://host:port, was " + uri);
        }
        int millis = (int) timeout.toMilliseconds();
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().connectionTimeoutMillis(millis)
                .socketTimeoutMillis(millis);
        if (uri.getUserInfo() != null) {
            String[] userAndPassword = uri.getUserInfo().split(":", 2);
            if (userAndPassword.length == 2) {
                config.user(userAndPassword[0].isEmpty() ? null : userAndPassword[0]).password(userAndPassword[1]);
            } else {
                config.password(userAndPassword[0]);
            }
        }
        return new RedisLocks(new JedisPooled(new HostAndPort(uri.getHost(), port()), config.build()), namespace);
    }

    private int port() {
        return uri.getPort() == -1 ? 6379 : uri.getPort();
    }
}
