package dev.wizmesh.gateway.ratelimit;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.util.JedisURIHelper;

/**
 * The {@code rateLimits.redis:} block: where the shared buckets live and how long the gateway
 * waits for them.
 *
 * <pre>
 * redis:
 *   url: redis://127.0.0.1:6379       # redis[s]://[[user]:password@]host[:port][/db]
 *   timeout: 50ms                     # per command, and for a free pooled connection
 *   connectTimeout: 100ms
 *   maxConnections: 64                # at ~0.2 ms a decision, 64 connections carry well over 100k/s
 *   minIdleConnections: 8
 *   keyPrefix: "wizmesh:ratelimit:"
 *   probeInterval: 1s                 # while Redis is down, how often to see if it is back
 * </pre>
 *
 * <p>The timeouts are short on purpose: a rate-limit decision sits in front of every request, and
 * a slow Redis must cost a request 50 ms once (then the fallback decides without asking Redis),
 * not seconds each.
 */
public class RedisFactory {
    @NotNull
    @JsonProperty
    public URI url = URI.create("redis://127.0.0.1:6379");

    @NotNull
    @JsonProperty
    public Duration timeout = Duration.milliseconds(50);

    @NotNull
    @JsonProperty
    public Duration connectTimeout = Duration.milliseconds(100);

    @Min(1)
    @JsonProperty
    public int maxConnections = 64;

    @Min(0)
    @JsonProperty
    public int minIdleConnections = 8;

    @NotEmpty
    @JsonProperty
    public String keyPrefix = "wizmesh:ratelimit:";

    @NotNull
    @JsonProperty
    public Duration probeInterval = Duration.seconds(1);

    /** A pooled client with this block's address, credentials and timeouts. */
    public JedisPooled buildClient(String clientName) {
        if (!JedisURIHelper.isValid(url)) {
            throw new IllegalArgumentException("rateLimits.redis.url must be redis[s]://host[:port][/db], got " + url);
        }
        DefaultJedisClientConfig client = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(Math.toIntExact(connectTimeout.toMilliseconds()))
                .socketTimeoutMillis(Math.toIntExact(timeout.toMilliseconds()))
                .user(JedisURIHelper.getUser(url))
                .password(JedisURIHelper.getPassword(url))
                .database(JedisURIHelper.getDBIndex(url))
                .ssl(JedisURIHelper.isRedisSSLScheme(url))
                .clientName(clientName)
                .build();
        // Jedis's pool config already tests idle connections in the background, which weeds out
        // the ones a Redis restart has killed
        ConnectionPoolConfig pool = new ConnectionPoolConfig();
        pool.setMaxTotal(maxConnections);
        pool.setMaxIdle(maxConnections);
        pool.setMinIdle(Math.min(minIdleConnections, maxConnections));
        // a request waits for a free connection no longer than for a reply
        pool.setMaxWait(java.time.Duration.ofMillis(timeout.toMilliseconds()));
        pool.setBlockWhenExhausted(true);
        return new JedisPooled(JedisURIHelper.getHostAndPort(url), client, pool);
    }

    /** host:port, for log lines and health messages (never the password). */
    public String address() {
        return url.getHost() + ":" + (url.getPort() == -1 ? 6379 : url.getPort());
    }
}
