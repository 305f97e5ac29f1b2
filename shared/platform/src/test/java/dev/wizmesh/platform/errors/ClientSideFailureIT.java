package dev.wizmesh.platform.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.platform.PlatformTestApp;
import dev.wizmesh.platform.ServiceConfiguration;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request body that stops arriving, or ends early, is the client's failure: a 4xx with a code,
 * not a 500 and an ERROR line with a stack trace. Raw sockets, because no HTTP client sends
 * a broken body on purpose.
 */
@ExtendWith(DropwizardExtensionsSupport.class)
class ClientSideFailureIT {
    private static final DropwizardAppExtension<ServiceConfiguration> APP = new DropwizardAppExtension<>(
            PlatformTestApp.class, ResourceHelpers.resourceFilePath("platform-test.yml"),
            ConfigOverride.config("server.applicationConnectors[0].idleTimeout", "500ms"));

    /** Sends the head of a POST promising 100 bytes, then only {@code body}; returns what came back. */
    private static String postShortBody(String body, boolean halfClose) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", APP.getLocalPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("POST /things HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 100\r\nConnection: close\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            if (halfClose) {
                socket.shutdownOutput(); // the client's side of the connection ends mid-body
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    private static JsonNode errorOf(String response) throws Exception {
        String body = response.substring(response.indexOf("\r\n\r\n") + 4);
        body = body.substring(body.indexOf('{'), body.lastIndexOf('}') + 1); // chunk sizes aside
        return new ObjectMapper().readTree(body).get("error");
    }

    @Test
    void aBodyThatStopsArrivingIs408() throws Exception {
        String response = postShortBody("{\"name\":", false);
        assertThat(response).startsWith("HTTP/1.1 408");
        assertThat(errorOf(response).get("code").asText()).isEqualTo("REQUEST_TIMEOUT");
    }

    @Test
    void aBodyCutShortIs400() throws Exception {
        String response = postShortBody("{\"name\":", true);
        assertThat(response).startsWith("HTTP/1.1 400");
        assertThat(errorOf(response).get("code").asText()).isEqualTo("BAD_REQUEST");
    }
}
