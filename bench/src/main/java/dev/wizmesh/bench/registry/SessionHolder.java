package dev.wizmesh.bench.registry;

import dev.wizmesh.discovery.registry.RegistryClient;
import dev.wizmesh.discovery.registry.RegistryHttp;
import io.dropwizard.jackson.Jackson;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * A stand-in for an app: registers one instance with the real discovery client (heartbeats and
 * session stream) and waits to be killed. {@code SessionHolder <registryUrl> <token> <service> <id>}
 */
public final class SessionHolder {
    private SessionHolder() {
    }

    public static void main(String[] args) throws InterruptedException {
        RegistryHttp http = new RegistryHttp(List.of(URI.create(args[0])), args[1], Jackson.newObjectMapper());
        RegistryClient client = new RegistryClient(http, args[2]);
        client.start(Map.of("id", args[3], "host", "127.0.0.1", "port", 1));
        Thread.sleep(Long.MAX_VALUE);
    }
}
