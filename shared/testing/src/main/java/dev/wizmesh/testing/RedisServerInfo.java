package dev.wizmesh.testing;

import java.net.URI;

/**
 * Where the test Redis server is, and the key prefix a test class should put on every key it writes.
 *
 * <p>An external server ({@code WIZMESH_TEST_REDIS_URL}) is shared with whatever else uses it, and even the
 * embedded one is shared by every test class in the JVM, so tests keep to their own prefix rather than
 * calling {@code FLUSHALL}.
 *
 * @param host      host name or address
 * @param port      TCP port
 * @param uri       a {@code redis://} URI, as Jedis, Lettuce and Redisson accept it
 * @param keyPrefix prefix for this test class's keys, such as {@code wizmesh_test_3f9c...:}; empty on the
 *                  server-wide value from {@link RedisExtension#sharedServer()}
 */
public record RedisServerInfo(String host, int port, URI uri, String keyPrefix) {

    /** {@code key} with this class's prefix in front. */
    public String key(String key) {
        return keyPrefix + key;
    }

    /** The same server with another key prefix. */
    public RedisServerInfo withKeyPrefix(String prefix) {
        return new RedisServerInfo(host, port, uri, prefix);
    }
}
