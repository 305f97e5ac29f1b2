package dev.wizmesh.gateway.proxy;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.discovery.balancer.LoadBalancerFactory;
import dev.wizmesh.discovery.balancer.OutlierDetectorFactory;
import io.dropwizard.lifecycle.Managed;
import io.dropwizard.util.DataSize;
import io.dropwizard.util.Duration;
import io.dropwizard.validation.MinDuration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The {@code proxy:} block: how the gateway talks to upstreams.
 *
 * <pre>
 * proxy:
 *   timeout: 30s                   # a route's default wait for the upstream's response headers
 *   exchangeIdleTimeout: 60s       # an exchange with no bytes either way for this long fails
 *   connectTimeout: 2s
 *   poolIdleTimeout: 15s           # below the upstreams' keep-alive idle timeout (Jetty's default: 30 s)
 *   maxConnectionsPerInstance: 256
 *   maxQueuedPerInstance: 1024
 *   maxBodySize: 10MiB             # a route's default request body limit (413 above it)
 *   staleConnectionRetries: 3      # retries of a request the upstream never saw (any method)
 *   trustedProxies: []             # peers whose X-Forwarded-* are kept (appended to)
 *   clientThreads: 8
 *   loadBalancer: {type: round_robin}
 *   outlierDetection: {consecutiveFailures: 5, baseEjectionTime: 30s}
 * </pre>
 */
public class ProxyFactory {
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration timeout = Duration.seconds(30);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration exchangeIdleTimeout = Duration.seconds(60);

    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration connectTimeout = Duration.seconds(2);

    /**
     * How long a pooled connection may sit unused before the gateway closes it. Keep it below
     * every upstream's own idle timeout, so the gateway closes first and never sends on a
     * connection the upstream is closing (the stale-connection race).
     */
    @NotNull
    @MinDuration(value = 1, unit = TimeUnit.MILLISECONDS)
    @JsonProperty
    public Duration poolIdleTimeout = Duration.seconds(15);

    @Min(1)
    @JsonProperty
    public int maxConnectionsPerInstance = 256;

    @Min(0)
    @JsonProperty
    public int maxQueuedPerInstance = 1024;

    @NotNull
    @JsonProperty
    public DataSize maxBodySize = DataSize.mebibytes(10);

    @Min(0)
    @Max(8)
    @JsonProperty
    public int staleConnectionRetries = 3;

    @NotNull
    @JsonProperty
    public List<String> trustedProxies = new ArrayList<>();

    @Min(8)
    @JsonProperty
    public int clientThreads = 8;

    @Valid
    @NotNull
    @JsonProperty
    public LoadBalancerFactory loadBalancer = new LoadBalancerFactory();

    @Valid
    @NotNull
    @JsonProperty
    public OutlierDetectorFactory outlierDetection = new OutlierDetectorFactory();

    /**
     * The HTTP client to upstreams, not started (start it with {@link #managed}, which makes it
     * pass everything through). No cookies kept, no redirects followed, no User-Agent of its own.
     */
    public HttpClient buildClient() {
        HttpClient client = new HttpClient();
        QueuedThreadPool threads = new QueuedThreadPool(clientThreads, Math.min(4, clientThreads));
        threads.setName("upstream-client");
        client.setExecutor(threads);
        client.setFollowRedirects(false);
        client.setHttpCookieStore(new HttpCookieStore.Empty());
        client.setUserAgentField(null);
        client.setConnectTimeout(connectTimeout.toMilliseconds());
        client.setIdleTimeout(poolIdleTimeout.toMilliseconds());
        client.setMaxConnectionsPerDestination(maxConnectionsPerInstance);
        client.setMaxRequestsQueuedPerDestination(maxQueuedPerInstance);
        return client;
    }

    /**
     * Removes what Jetty's client installs when it starts (so clearing them before start does
     * nothing): the protocol handlers and the content decoders. An upstream's 401 or 407 (with or
     * without a challenge header), a redirect or a 100 Continue is the client's to see, not the
     * gateway's to act on, and a gzip body stays gzip. With the defaults, user-svc's 401 for a
     * wrong password (no WWW-Authenticate) was taken for a protocol violation and the client got
     * a broken response.
     */
    static void passThrough(HttpClient client) {
        client.getProtocolHandlers().clear();
        client.getContentDecoderFactories().clear();
    }

    /** Starts and stops a client with the application. */
    public static Managed managed(HttpClient client) {
        return new Managed() {
            @Override
            public void start() throws Exception {
                client.start();
                passThrough(client);
            }

            @Override
            public void stop() throws Exception {
                client.stop();
            }
        };
    }
}
