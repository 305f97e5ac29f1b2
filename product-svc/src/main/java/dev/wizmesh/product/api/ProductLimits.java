package dev.wizmesh.product.api;

/**
 * The bounds every product body is validated against; the same numbers are CHECK constraints in
 * the migration, so the database agrees with the API.
 */
final class ProductLimits {
    /** 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit. */
    static final String SKU_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]*";
    static final int SKU_MAX = 64;
    static final int NAME_MAX = 200;
    static final int DESCRIPTION_MAX = 2000;
    static final long PRICE_MAX = 1_000_000_000_000L;
    static final long STOCK_MAX = 1_000_000_000L;
    /** Matches a string with at least one non-space character (name must not be blank). */
    static final String NOT_BLANK = "(?s).*\\S.*";

    private ProductLimits() {
    }
}
