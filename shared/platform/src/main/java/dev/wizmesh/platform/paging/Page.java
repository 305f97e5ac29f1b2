package dev.wizmesh.platform.paging;

import java.util.List;

/**
 * One page of a list: {@code {"items":[...], "nextCursor":"..."}}. {@code nextCursor} is null on
 * the last page; otherwise pass it back as {@code ?cursor=} for the next one. Cursors are keyset
 * positions (see {@link PageCursor}), so pages stay stable while rows are added, unlike offsets.
 */
public record Page<T>(List<T> items, String nextCursor) {

    /**
     * Builds a page from up to {@code limit + 1} rows read in order: the extra row only says that
     * another page exists, and the cursor points after the last row kept.
     */
    public static <R, T> Page<T> of(List<R> rowsPlusOne, int limit, java.util.function.Function<R, T> toItem,
                                    java.util.function.Function<R, PageCursor> cursorOf) {
        boolean more = rowsPlusOne.size() > limit;
        List<R> rows = more ? rowsPlusOne.subList(0, limit) : rowsPlusOne;
        String next = more ? cursorOf.apply(rows.get(rows.size() - 1)).encode() : null;
        return new Page<>(rows.stream().map(toItem).toList(), next);
    }
}
