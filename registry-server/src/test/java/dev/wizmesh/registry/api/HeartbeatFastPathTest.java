package dev.wizmesh.registry.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeartbeatFastPathTest {
    @Test
    void takesPlainHeartbeatPaths() {
        assertThat(HeartbeatFastPath.parse("/v1/services/user-svc/instances/i-1.a_b:c~d/heartbeat"))
                .isEqualTo(new HeartbeatFastPath.Target("user-svc", "i-1.a_b:c~d"));
    }

    @Test
    void leavesEverythingElseToJersey() {
        assertThat(HeartbeatFastPath.parse("/v1/services/user-svc/instances/h%31/heartbeat")).isNull(); // needs decoding
        assertThat(HeartbeatFastPath.parse("/v1/services/user-svc/instances//heartbeat")).isNull();
        assertThat(HeartbeatFastPath.parse("/v1/services//instances/x/heartbeat")).isNull();
        assertThat(HeartbeatFastPath.parse("/v1/services/user-svc/instances/x/status")).isNull();
        assertThat(HeartbeatFastPath.parse("/v1/services/user-svc/instances/x/y/heartbeat")).isNull();
        assertThat(HeartbeatFastPath.parse("/v1/services/user-svc/other/x/heartbeat")).isNull();
        assertThat(HeartbeatFastPath.parse("/v1/services/a;b/instances/x/heartbeat")).isNull();
        assertThat(HeartbeatFastPath.parse("/v1/services/a/instances/x\"/heartbeat")).isNull();
        assertThat(HeartbeatFastPath.parse(null)).isNull();
    }
}
