package dev.wizmesh.discovery.registry;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP to the registry, failing over between the configured URLs: a call goes to the registry
 * that answered last; on a connection failure it tries the next, and remembers the one that
 * answers. A registry's own 4xx/5xx is an answer, not a failure to fail over on.
 */
public class RegistryHttp {
    private final List<URI> registries;
    private final String token;
    private final HttpClient http;
    private final ObjectMapper mapper;
    private final AtomicInteger current = new AtomicInteger();

    public RegistryHttp(List<URI> registries, String token, ObjectMapper mapper) {
        if (registries.isEmpty()) {
            throw new IllegalArgumentException("at least one registry URL is needed");
        }
        this.registries = List.copyOf(registries);
        this.token = token;
        this.mapper = mapper;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    }

    public record Answer(int status, String body, java.net.http.HttpHeaders headers) {
        public boolean ok() {
            return status / 100 == 2;
        }
    }

    public Answer send(String method, String path, Object body, Duration timeout) {
        return call(base -> {
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(mapper.writeValueAsBytes(body)));
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            authorize(request);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body(), response.headers());
        });
    }

    /** Opens an event stream; the caller reads and closes the body. */
    public HttpResponse<InputStream> openStream(String path, String lastEventId) {
        return call(base -> {
            // the timeout covers the wait for the response head only, not the stream that follows:
            // a registry that is stopping may take a request it will never answer
            HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Accept", "text/event-stream")
                    .timeout(Duration.ofSeconds(2));
            if (lastEventId != null) {
                request.header("Last-Event-ID", lastEventId);
            }
            authorize(request);
            HttpResponse<InputStream> response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("watch refused with HTTP " + response.statusCode());
            }
            return response;
        });
    }

    public <T> T read(String body, Class<T> type) {
        try {
            return mapper.readValue(body, type);
        } catch (IOException e) {
            throw new IllegalStateException("the registry sent JSON we cannot read", e);
        }
    }

    public URI currentRegistry() {
        return registries.get(Math.floorMod(current.get(), registries.size()));
    }

    private void authorize(HttpRequest.Builder request) {
        if (token != null && !token.isBlank()) {
            request.header("Authorization", "Bearer " + token);
        }
    }

    private interface Call<T> {
        T on(URI base) throws IOException, InterruptedException;
    }

    private <T> T call(Call<T> call) {
        IOException last = null;
        int start = current.get();
        for (int i = 0; i < registries.size(); i++) {
            int at = start + i;
            URI base = registries.get(Math.floorMod(at, registries.size()));
            try {
                T result = call.on(base);
                current.set(at);
                return result;
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RegistryUnavailableException("interrupted", e);
            }
        }
        throw new RegistryUnavailableException("no registry answered (" + registries + "): " + last, last);
    }
}
