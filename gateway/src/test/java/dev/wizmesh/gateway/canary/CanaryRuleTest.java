package dev.wizmesh.gateway.canary;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

class CanaryRuleTest {
    @Test
    void aHeaderSendsTheRequestToTheCanary() {
        CanaryRule rule = new CanaryRule();
        rule.header = new CanaryRule.HeaderMatch();
        rule.header.name = "X-Canary";
        rule.header.value = "always";
        rule.header.version = "2.0.0";
        assertThat(rule.chooseVersion(Map.of("X-Canary", "always")::get, null, () -> 0)).contains("2.0.0");
        assertThat(rule.chooseVersion(Map.<String, String>of()::get, null, () -> 0)).isEmpty();
    }

    @Test
    void aStableShareOfUsersWithinTwoPercentOver10kAndAlwaysTheSameForOneUser() {
        CanaryRule rule = new CanaryRule();
        rule.users = new CanaryRule.UserShare();
        rule.users.percent = 10;
        rule.users.version = "2.0.0";
        int canary = 0;
        for (int i = 0; i < 10_000; i++) {
            String user = UUID.randomUUID().toString();
            Optional<String> version = rule.chooseVersion(h -> null, user, () -> 0);
            if (version.isPresent()) {
                canary++;
            }
            assertThat(rule.chooseVersion(h -> null, user, () -> 0)).isEqualTo(version);
        }
        assertThat(canary).isBetween(800, 1200);
    }

    @Test
    void weightsSplitRequestsWithinTwoPercentOver10k() {
        CanaryRule rule = new CanaryRule();
        rule.weights = new LinkedHashMap<>(Map.of("1.0.0", 90, "2.0.0", 10));
        int canary = 0;
        for (int i = 0; i < 10_000; i++) {
            if (rule.chooseVersion(h -> null, null, () -> ThreadLocalRandom.current().nextLong()).orElseThrow().equals("2.0.0")) {
                canary++;
            }
        }
        assertThat(canary).isBetween(800, 1200);
    }
}
