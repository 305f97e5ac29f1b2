package dev.wizmesh.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.gateway.GatewayApplication;
import dev.wizmesh.gateway.GatewayConfiguration;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code POST /tasks/reload-routes} re-reads the file the gateway started from; a bad file changes nothing. */
@ExtendWith(DropwizardExtensionsSupport.class)
class RouteReloadIT {
    static final Path CONFIG = write(config("- {id: first, path: /first/**, service: nowhere-svc, auth: public}"));
    static final DropwizardAppExtension<GatewayConfiguration> APP =
            new DropwizardAppExtension<>(GatewayApplication.class, CONFIG.toString());

    private final HttpClient http = HttpClient.newHttpClient();

    static String config(String routes) {
        return """
                server:
                  applicationConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  adminConnectors: [{type: http, bindHost: 127.0.0.1, port: 0}]
                  requestLog: {appenders: []}
                logging:
                  level: WARN
                tracing: {serviceName: gateway, exporter: none}
                discovery: {mode: static}
                routes:
                  %s
                """.formatted(routes.replace("\n", "\n  "));
    }

    static Path write(String yaml) {
        try {
            Path file = Files.createTempFile("gateway-reload", ".yml");
            file.toFile().deleteOnExit();
            return Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void reloadSwapsTheRoutesAndABadFileKeepsTheOldOnes() throws Exception {
        // no instances anywhere: a matched route is a 503, an unmatched path a 404
        assertThat(status("/first/x")).isEqualTo(503);
        assertThat(status("/second/x")).isEqualTo(404);

        Files.writeString(CONFIG, config("- {id: second, path: /second/**, service: nowhere-svc, auth: public}"));
        HttpResponse<String> reloaded = reload();
        assertThat(reloaded.statusCode()).isEqualTo(200);
        assertThat(reloaded.body()).contains("reloaded 1 routes");
        assertThat(status("/first/x")).isEqualTo(404);
        assertThat(status("/second/x")).isEqualTo(503);

        // two routes taking the same requests: refused, naming them; the table in use stays
        Files.writeString(CONFIG, config("""
                - {id: a, path: /third/**, service: nowhere-svc}
                - {id: b, path: /third/, service: nowhere-svc}"""));
        HttpResponse<String> conflict = reload();
        assertThat(conflict.statusCode()).isEqualTo(500);
        assertThat(conflict.body()).contains("routes not reloaded").contains("a and b");
        assertThat(status("/second/x")).isEqualTo(503);

        // a file that is not valid YAML for the gateway: refused too
        Files.writeString(CONFIG, config("- {id: broken, path: 42}\n- {nonsense: true}"));
        HttpResponse<String> broken = reload();
        assertThat(broken.statusCode()).isEqualTo(500);
        assertThat(broken.body()).contains("routes not reloaded");
        assertThat(APP.<GatewayApplication>getApplication().routes().current().routes())
                .extracting(Route::id).containsExactly("second");
    }

    private int status(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getLocalPort() + path)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpResponse<String> reload() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/tasks/reload-routes"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
