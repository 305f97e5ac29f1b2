package dev.wizmesh.platform.paging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wizmesh.platform.errors.ApiException;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class PageCursorTest {
    @Test
    void roundTrips() {
        PageCursor cursor = new PageCursor(Instant.parse("2026-11-23T10:15:30.123456Z"), UUID.randomUUID());
        assertThat(PageCursor.decode(cursor.encode())).isEqualTo(cursor);
    }

    @Test
    void blankMeansFirstPageAndGarbageIsABadRequest() {
        assertThat(PageCursor.decode(null)).isNull();
        assertThat(PageCursor.decode("")).isNull();
        assertThatThrownBy(() -> PageCursor.decode("not-a-cursor")).isInstanceOf(ApiException.class)
                .hasMessageContaining("cursor");
        assertThatThrownBy(() -> PageCursor.decode("%%%")).isInstanceOf(ApiException.class);
    }

    @Test
    void theExtraRowOnlySaysThereIsMore() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        List<UUID> ids = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        Page<String> page = Page.of(ids, 2, UUID::toString, id -> new PageCursor(t, id));
        assertThat(page.items()).containsExactly(ids.get(0).toString(), ids.get(1).toString());
        assertThat(PageCursor.decode(page.nextCursor()).id()).isEqualTo(ids.get(1));
        Page<String> last = Page.of(ids.subList(0, 2), 2, UUID::toString, id -> new PageCursor(t, id));
        assertThat(last.nextCursor()).isNull();
    }
}
