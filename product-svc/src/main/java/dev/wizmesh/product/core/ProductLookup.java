package dev.wizmesh.product.core;

import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The answer to "these products, please" from another service: the products found, in the order
 * asked, and the ids that name none of the caller's tenant's products (unknown, deleted, another
 * tenant's, or not even a UUID), as the caller spelled them, so that it can name them all in one
 * error instead of failing on the first. Each id is answered once, however often it was asked.
 */
public record ProductLookup(List<Product> found, List<String> missingIds) {
    /** More ids than any order needs: a bound on the work one call can ask for. */
    public static final int MAX_IDS = 1000;

    /** The ids as asked, parsed: distinct UUIDs in order, and the strings that are not UUIDs. */
    record Request(List<UUID> ids, List<String> malformed, Map<UUID, String> spelling) {
        static Request of(List<String> asked) {
            if (asked.size() > MAX_IDS) {
                throw new ApiException(ErrorCode.BAD_REQUEST,
                        Map.of("reason", "at most " + MAX_IDS + " ids per call, got " + asked.size()));
            }
            Map<UUID, String> spelling = new LinkedHashMap<>();
            List<String> malformed = new ArrayList<>();
            for (String id : asked) {
                ProductIds.parse(id).ifPresentOrElse(uuid -> spelling.putIfAbsent(uuid, id), () -> {
                    if (!malformed.contains(id)) {
                        malformed.add(id);
                    }
                });
            }
            return new Request(List.copyOf(spelling.keySet()), malformed, spelling);
        }
    }

    static ProductLookup of(Request request, List<Product> rows) {
        Map<UUID, Product> byId = new LinkedHashMap<>();
        rows.forEach(p -> byId.put(p.id(), p));
        List<Product> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (UUID id : request.ids()) {
            Product product = byId.get(id);
            if (product != null) {
                found.add(product);
            } else {
                missing.add(request.spelling().get(id));
            }
        }
        missing.addAll(request.malformed());
        return new ProductLookup(List.copyOf(found), List.copyOf(missing));
    }
}
