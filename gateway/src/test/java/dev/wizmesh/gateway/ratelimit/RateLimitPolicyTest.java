package dev.wizmesh.gateway.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimitPolicyTest {
    private static RateLimitPolicy keyedBy(KeyBy... keyBy) {
        return new RateLimitPolicy(10, 1, List.of(keyBy));
    }

    @Test
    void bucketKeyNamesEachFact() {
        RateLimitKey key = new RateLimitKey("10.0.0.1", "alice", "t1", "orders");
        assertThat(keyedBy(KeyBy.IP).bucketKey(key)).isEqualTo("ip=10.0.0.1");
        assertThat(keyedBy(KeyBy.TENANT, KeyBy.USER, KeyBy.ROUTE).bucketKey(key)).isEqualTo("tenant=t1|user=alice|route=orders");
    }

    @Test
    void aMissingFactFallsBackToTheClientAddress() {
        RateLimitKey anonymous = new RateLimitKey("10.0.0.1", null, "", "orders");
        assertThat(keyedBy(KeyBy.USER).bucketKey(anonymous)).isEqualTo("ip=10.0.0.1");
        assertThat(keyedBy(KeyBy.TENANT, KeyBy.USER).bucketKey(anonymous)).as("one ip, not two").isEqualTo("ip=10.0.0.1");
        assertThat(keyedBy(KeyBy.ROUTE, KeyBy.USER).bucketKey(anonymous)).isEqualTo("route=orders|ip=10.0.0.1");
        assertThat(keyedBy(KeyBy.USER).bucketKey(new RateLimitKey(null, null, null, null))).isEqualTo("ip=unknown");
    }

    @Test
    void separatorsInValuesCannotForgeAnotherKey() {
        RateLimitPolicy userAndIp = keyedBy(KeyBy.USER, KeyBy.IP);
        String forged = userAndIp.bucketKey(new RateLimitKey("10.0.0.2", "bob|ip=10.0.0.1", null, null));
        String real = userAndIp.bucketKey(new RateLimitKey("10.0.0.1", "bob", null, null));
        assertThat(forged).isNotEqualTo(real).isEqualTo("user=bob%7Cip%3D10.0.0.1|ip=10.0.0.2");
    }
}
