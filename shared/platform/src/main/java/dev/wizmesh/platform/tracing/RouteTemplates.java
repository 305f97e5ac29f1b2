package dev.wizmesh.platform.tracing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.glassfish.jersey.server.ExtendedUriInfo;
import org.glassfish.jersey.uri.UriTemplate;

/**
 * The matched route template of a request ({@code /api/v1/products/{id}}), as span names and
 * metric labels need it: low-cardinality, never the raw path with ids in it.
 */
public final class RouteTemplates {
    /** The label for requests no resource matched (404s): keeps scanners out of the label set. */
    public static final String UNMATCHED = "UNMATCHED";
    private static final java.util.regex.Pattern REPEATED_SLASHES = java.util.regex.Pattern.compile("/{2,}");

    private RouteTemplates() {
    }

    public static String of(ExtendedUriInfo uriInfo) {
        if (uriInfo == null || uriInfo.getMatchedTemplates().isEmpty()) {
            return UNMATCHED;
        }
        List<UriTemplate> templates = new ArrayList<>(uriInfo.getMatchedTemplates());
        Collections.reverse(templates);
        StringBuilder route = new StringBuilder();
        for (UriTemplate template : templates) {
            route.append('/').append(template.getTemplate());
        }
        String normalized = REPEATED_SLASHES.matcher(route).replaceAll("/");
        return normalized.length() > 1 && normalized.endsWith("/") ? normalized.substring(0, normalized.length() - 1) : normalized;
    }
}
