package dev.wizmesh.gateway.proxy;

import java.util.Locale;
import java.util.Optional;

/**
 * The first check on every request, before any route is looked up: the path must have exactly
 * one spelling. Anything a server behind us might decode or resolve differently from how the
 * gateway matched it is refused with 400, because that difference is how path traversal and
 * route bypasses work ({@code /api/v1/products/..%2f..%2fadmin} matched as a products path,
 * resolved upstream as {@code /admin}).
 *
 * <p>Refused: {@code .} and {@code ..} segments; any percent-encoded dot, slash, backslash or
 * percent ({@code %2e %2f %5c %25}, so no double encoding either); a raw backslash; empty
 * segments ({@code //}); {@code ;} (path parameters, which servlet containers strip before
 * matching); control characters and malformed escapes. What passes is forwarded as it is, so
 * the upstream sees exactly the path the route was matched on.
 */
public final class PathNormalizer {
    private PathNormalizer() {
    }

    /** Why {@code rawPath} (the request target's path, still percent-encoded) is refused, or empty when it is fine. */
    public static Optional<String> problem(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/")) {
            return Optional.of("the path must start with '/'");
        }
        int length = rawPath.length();
        for (int i = 0; i < length; i++) {
            char c = rawPath.charAt(i);
            if (c == '\\') {
                return Optional.of("backslash in path");
            }
            if (c == ';') {
                return Optional.of("';' (path parameters) in path");
            }
            if (c < 0x21 || c == 0x7f) {
                return Optional.of("control character or space in path");
            }
            if (c == '%') {
                if (i + 2 >= length || hex(rawPath.charAt(i + 1)) < 0 || hex(rawPath.charAt(i + 2)) < 0) {
                    return Optional.of("malformed percent-encoding in path");
                }
                int value = hex(rawPath.charAt(i + 1)) * 16 + hex(rawPath.charAt(i + 2));
                switch (value) {
                    case '.', '/', '\\', '%' -> {
                        return Optional.of("encoded '" + (char) value + "' (%" + rawPath.substring(i + 1, i + 3).toUpperCase(Locale.ROOT) + ") in path");
                    }
                    default -> {
                        if (value < 0x20 || value == 0x7f) {
                            return Optional.of("encoded control character in path");
                        }
                    }
                }
                i += 2;
            }
        }
        // segments: no "", ".", ".." (a trailing "/" is allowed: "/api/v1/users/")
        int start = 1;
        while (start <= length) {
            int end = rawPath.indexOf('/', start);
            if (end < 0) {
                end = length;
            }
            String segment = rawPath.substring(start, end);
            if (segment.equals(".") || segment.equals("..")) {
                return Optional.of("'" + segment + "' segment in path");
            }
            if (segment.isEmpty() && end < length) {
                return Optional.of("empty segment ('//') in path");
            }
            start = end + 1;
        }
        return Optional.empty();
    }

    private static int hex(char c) {
        return Character.digit(c, 16);
    }
}
