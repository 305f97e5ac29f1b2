package dev.wizmesh.gateway.auth;

import com.nimbusds.jose.jwk.JWKSet;
import dev.wizmesh.discovery.ServiceInstance;
import dev.wizmesh.discovery.catalog.InstanceSource;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Fetches a JWK Set over HTTP: from a fixed URL, or from an UP instance of a service found in
 * discovery (trying the next instance when one fails, and starting at a different instance each
 * time so the fetches spread).
 *
 * <p>The client is the JDK's {@link HttpClient}, not the Jetty client the proxy uses: a JWKS
 * fetch is a small blocking GET every few minutes (or on an unknown {@code kid}), made on a
 * background thread or a request that must wait for it anyway. The JDK client needs no lifecycle
 * (start/stop) and keeps these rare calls out of the proxy's upstream connection pools and their
 * metrics, so a slow user-svc can never occupy a proxy connection.
 */
public class JwksSource {
    /** A JWK Set larger than this is refused (a real one is a few KB). */
    static final int MAX_BYTES = 256 * 1024;

    private final InstanceSource instances;
    private final String service;
    private final String path;
    private final URI fixedUrl;
    private final Duration timeout;
    private final HttpClient http;
    private final AtomicInteger next = new AtomicInteger();

    /**
     * @param instances where to find {@code service} (ignored when {@code fixedUrl} is given)
     * @param service   the service that publishes the keys, e.g. {@code user-svc}
     * @param path      the JWKS path on it, e.g. {@code /.well-known/jwks.json}
     * @param fixedUrl  a fixed JWKS URL instead of discovery, or null
     * @param timeout   connect and response timeout of one attempt
     */
    public JwksSource(InstanceSource instances, String service, String path, URI fixedUrl, Duration timeout) {
        this.instances = instances;
        this.service = service;
        this.path = path.startsWith("/") ? path : "/" + path;
        this.fixedUrl = fixedUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Where the keys come from, for health messages and logs. */
    public String describe() {
        return fixedUrl != null ? fixedUrl.toString() : service + path + " (discovery)";
    }

    /**
     * One fetch: the first candidate URL that answers 200 with a parseable JWK Set.
     *
     * @throws JwksUnavailableException naming what failed, when no candidate did
     */
    public JWKSet fetch() {
        List<URI> candidates = candidates();
        if (candidates.isEmpty()) {
            throw new JwksUnavailableException("no UP instance of " + service);
        }
        List<String> errors = new ArrayList<>();
        for (URI url : candidates) {
            try {
                return fetch(url);
            } catch (IOException | ParseException | RuntimeException e) {
                errors.add(url.getAuthority() + ": " + summary(e));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JwksUnavailableException("interrupted");
            }
        }
        throw new JwksUnavailableException(String.join("; ", errors));
    }

    private List<URI> candidates() {
        if (fixedUrl != null) {
            return List.of(fixedUrl);
        }
        List<ServiceInstance> up = instances.instances(service);
        if (up.isEmpty()) {
            return List.of();
        }
        int start = Math.floorMod(next.getAndIncrement(), up.size());
        List<URI> urls = new ArrayList<>(up.size());
        for (int i = 0; i < up.size(); i++) {
            urls.add(up.get((start + i) % up.size()).baseUri().resolve(path));
        }
        return urls;
    }

    private JWKSet fetch(URI url) throws IOException, InterruptedException, ParseException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Accept", "application/json")
                .GET()
                .build();
        HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IOException("JWK Set larger than " + MAX_BYTES + " bytes");
            }
            return JWKSet.parse(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static String summary(Exception e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : " " + message);
    }

    /** No instance answered with a JWK Set. */
    public static final class JwksUnavailableException extends RuntimeException {
        public JwksUnavailableException(String message) {
            super(message);
        }
    }
}
