package dev.wizmesh.platform.requestid;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RequestIdsTest {

    @Test
    void acceptsShortPrintableTokens() {
        assertThat(RequestIds.acceptOrGenerate("abc-123_x.y:z")).isEqualTo("abc-123_x.y:z");
        assertThat(RequestIds.acceptOrGenerate("a".repeat(128))).hasSize(128);
    }

    @Test
    void replacesAnythingElse() {
        for (String bad : new String[] {null, "", "a".repeat(129), "with space", "line\nbreak", "ünïcode", "a\"b"}) {
            String id = RequestIds.acceptOrGenerate(bad);
            assertThat(id).isNotEqualTo(bad);
            assertThat(RequestIds.isWellFormed(id)).isTrue();
        }
    }

    @Test
    void generatedIdsAreUnique() {
        assertThat(RequestIds.generate()).isNotEqualTo(RequestIds.generate());
    }

    @org.junit.jupiter.api.Test
    void generatedIdsAreDistinctVersion4Uuids() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestIds.generate();
            java.util.UUID uuid = java.util.UUID.fromString(id);
            org.assertj.core.api.Assertions.assertThat(uuid.version()).isEqualTo(4);
            org.assertj.core.api.Assertions.assertThat(uuid.variant()).isEqualTo(2);
            org.assertj.core.api.Assertions.assertThat(seen.add(id)).isTrue();
        }
    }
}
