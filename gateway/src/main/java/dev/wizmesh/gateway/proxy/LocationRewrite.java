package dev.wizmesh.gateway.proxy;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;

/**
 * An upstream's {@code Location} (a 201's new resource, a redirect) names the upstream
 * instance — {@code http://10.0.0.7:8130/api/v1/orders/42} — which the client can neither reach
 * nor should learn. Like nginx's default {@code proxy_redirect}, a location on the upstream the
 * request went to is rewritten onto the address the client used; any other location (another
 * site, a relative path) is left as it is.
 */
final class LocationRewrite {
    private LocationRewrite() {
    }

    static String toClient(String location, URI upstream, HttpServletRequest client) {
        URI target;
        try {
            target = URI.create(location);
        } catch (IllegalArgumentException e) {
            return location;
        }
        if (!target.isAbsolute() || target.getHost() == null || upstream == null
                || !target.getHost().equalsIgnoreCase(upstream.getHost()) || port(target) != port(upstream)) {
            return location;
        }
        String rest = target.getRawPath() == null ? "" : target.getRawPath();
        if (target.getRawQuery() != null) {
            rest += "?" + target.getRawQuery();
        }
        if (target.getRawFragment() != null) {
            rest += "#" + target.getRawFragment();
        }
        return client.getScheme() + "://" + hostOf(client) + rest;
    }

    private static String hostOf(HttpServletRequest client) {
        String host = client.getHeader("Host");
        return host != null && !host.isBlank() ? host : client.getServerName() + ":" + client.getServerPort();
    }

    private static int port(URI uri) {
        return uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }
}
