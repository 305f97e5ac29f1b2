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
}
