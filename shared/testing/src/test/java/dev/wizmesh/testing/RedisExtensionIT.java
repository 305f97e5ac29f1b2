package dev.wizmesh.testing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import redis.clients.jedis.JedisPooled;

@ExtendWith(RedisExtension.class)
class RedisExtensionIT {

    @Test
    void setAndGetThroughJedis(RedisServerInfo redis) {
        try (JedisPooled jedis = new JedisPooled(redis.uri())) {
            jedis.set(redis.key("greeting"), "hello");
            assertThat(jedis.get(redis.key("greeting"))).isEqualTo("hello");
            jedis.del(redis.key("greeting"));
        }
    }

    @Test
    void hostAndPortNameTheSameServerAsTheUri(RedisServerInfo redis) {
        try (JedisPooled jedis = new JedisPooled(redis.host(), redis.port())) {
            jedis.setex(redis.key("ttl"), 60, "x");
            assertThat(jedis.ttl(redis.key("ttl"))).isBetween(1L, 60L);
        }
    }

    @Test
    void keysOfThisClassCarryAPrefixOfItsOwn(RedisServerInfo redis) {
        assertThat(redis.keyPrefix()).matches("wizmesh_test_[0-9a-f]{16}:");
        assertThat(redis.key("a")).isEqualTo(redis.keyPrefix() + "a");
        assertThat(RedisExtension.sharedServer().keyPrefix()).isEmpty();
        assertThat(RedisExtension.sharedServer().uri()).isEqualTo(redis.uri());
    }
}
