package dev.wizmesh.product.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ProductLookupTest {
    static Product product(UUID id) {
        Instant now = Instant.now();
        return new Product(id, UUID.randomUUID(), "sku", "name", "", 1, "EUR", 1, 0, 0, now, now);
    }

    @Test
    void foundInTheOrderAskedOnceEachMissingAsSpelledMalformedLast() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        UUID gone = UUID.randomUUID();
        String upperB = b.toString().toUpperCase();
        ProductLookup.Request request = ProductLookup.Request.of(
                List.of(upperB, "junk", gone.toString(), a.toString(), b.toString(), "junk", "1-2-3-4-5"));

        assertThat(request.ids()).containsExactly(b, gone, a);
        assertThat(request.malformed()).containsExactly("junk", "1-2-3-4-5");

        // the database answers in any order
        ProductLookup lookup = ProductLookup.of(request, List.of(product(a), product(b)));
        assertThat(lookup.found()).extracting(Product::id).containsExactly(b, a);
        assertThat(lookup.missingIds()).containsExactly(gone.toString(), "junk", "1-2-3-4-5");
    }

    @Test
    void nothingAskedNothingAnswered() {
        ProductLookup lookup = ProductLookup.of(ProductLookup.Request.of(List.of()), List.of());
        assertThat(lookup.found()).isEmpty();
        assertThat(lookup.missingIds()).isEmpty();
    }

    @Test
    void moreThanTheLimitIsABadRequest() {
        List<String> ids = new ArrayList<>(Collections.nCopies(ProductLookup.MAX_IDS, "x"));
        assertThat(ProductLookup.Request.of(ids).malformed()).containsExactly("x");
        ids.add("x");
        assertThatThrownBy(() -> ProductLookup.Request.of(ids))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_REQUEST));
    }

    @Test
    void onlyCanonicalUuidsAreIds() {
        assertThat(ProductIds.parse("123e4567-e89b-12d3-a456-426614174000")).isPresent();
        assertThat(ProductIds.parse("1-2-3-4-5")).isEmpty();
        assertThat(ProductIds.parse("123e4567e89b12d3a456426614174000")).isEmpty();
        assertThat(ProductIds.parse(null)).isEmpty();
        assertThatThrownBy(() -> ProductIds.require("x".repeat(500)))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.PRODUCT_NOT_FOUND);
                    assertThat(e.getMessage()).hasSizeLessThan(120);
                });
    }

    @Test
    void likeWildcardsAreEscaped() {
        assertThat(ProductCatalog.escapeLike("100%_a\\b")).isEqualTo("100\\%\\_a\\\\b");
    }
}
