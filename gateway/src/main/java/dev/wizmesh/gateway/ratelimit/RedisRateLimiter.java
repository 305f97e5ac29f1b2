package dev.wizmesh.gateway.ratelimit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * Token buckets in Redis, shared by every gateway instance that points at the same Redis.
 *
 * <p>Each decision is one round trip running {@code token-bucket.lua}: read the bucket, refill it
 * by Redis {@code TIME}, take a token, write it back with a TTL, all atomically, so two gateways
 * racing for the last token cannot both get it (a read-then-write from Java could). The script is
 * sent by its SHA-1 ({@code EVALSHA}); a Redis that does not know it yet (first use, a restart, a
 * {@code SCRIPT FLUSH}) answers {@code NOSCRIPT} and gets the full text once ({@code EVAL}, which
 * also caches it).
 *
 * <p>Every Redis failure surfaces as {@link RedisUnavailableException}; deciding what to do then
 * is {@link FallbackRateLimiter}'s job. This class owns its connection pool and closes it.
 */
public final class RedisRateLimiter implements RateLimiter, AutoCloseable {
    static final String SCRIPT = loadScript();
    static final String SCRIPT_SHA = sha1Hex(SCRIPT);

    private final JedisPooled redis;
    private final String keyPrefix;
    private final Map<String, RateLimitPolicy> policies;

    /**
     * @param redis     a pooled client (see {@link RedisFactory#buildClient}); closed by {@link #close()}
     * @param keyPrefix put in front of every bucket key, e.g. {@code wizmesh:ratelimit:}
     * @param policies  the policies, by name
     */
    public RedisRateLimiter(JedisPooled redis, String keyPrefix, Map<String, RateLimitPolicy> policies) {
        this.redis = redis;
        this.keyPrefix = keyPrefix;
        this.policies = Map.copyOf(policies);
    }

    @Override
    public RateLimitDecision tryAcquire(String policy, RateLimitKey key) {
        RateLimitPolicy p = policies.get(policy);
        if (p == null) {
            throw new IllegalArgumentException("no rate-limit policy named '" + policy + "'");
        }
        TokenBucket bucket = p.bucket();
        List<String> keys = List.of(bucketKey(policy, key));
        // the policy travels with each call, so a changed capacity or rate applies at once
        List<String> args = List.of(Long.toString(p.capacity), Double.toString(p.refillPerSecond));
        Object reply;
        try {
            reply = evalTokenBucket(keys, args);
        } catch (JedisException e) {
            throw new RedisUnavailableException("rate-limit script failed: " + e.getMessage(), e);
        }
        List<?> result = (List<?>) reply;
        boolean allowed = ((Number) result.get(0)).longValue() == 1;
        double tokensLeft = Double.parseDouble(text(result.get(1)));
        return bucket.decision(allowed, tokensLeft);
    }

    @Override
    public boolean hasPolicy(String policy) {
        return policies.containsKey(policy);
    }

    /** The Redis key of a request's bucket under a policy: {@code <prefix><policy>:<bucketKey>}. */
    public String bucketKey(String policy, RateLimitKey key) {
        return keyPrefix + policy + ":" + policies.get(policy).bucketKey(key);
    }

    /** True when Redis answers a PING within the client's timeout. */
    public boolean ping() {
        try {
            return "PONG".equalsIgnoreCase(redis.ping());
        } catch (JedisException e) {
            return false;
        }
    }

    /**
     * Closes the idle pooled connections. After Redis has restarted they are all dead; without
     * this, the first requests back on Redis would each draw one, fail, and fall back again.
     */
    public void discardIdleConnections() {
        redis.getPool().clear();
    }

    @Override
    public void close() {
        redis.close();
    }

    private Object evalTokenBucket(List<String> keys, List<String> args) {
        try {
            return redis.evalsha(SCRIPT_SHA, keys, args);
        } catch (JedisNoScriptException e) {
            return redis.eval(SCRIPT, keys, args);
        }
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(value);
    }

    private static String loadScript() {
        try (InputStream in = RedisRateLimiter.class.getResourceAsStream("token-bucket.lua")) {
            if (in == null) {
                throw new IllegalStateException("token-bucket.lua missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sha1Hex(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JVM", e);
        }
    }
}
