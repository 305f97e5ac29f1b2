package dev.wizmesh.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.wizmesh.grpc.test.v1.EchoRequest;
import dev.wizmesh.grpc.test.v1.EchoServiceGrpc;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The factories wired into a Dropwizard app from YAML: port 0, health, metrics on the admin port. */
@ExtendWith(DropwizardExtensionsSupport.class)
class GrpcAppIT {
    private static final DropwizardAppExtension<GrpcTestApp.Config> APP =
            new DropwizardAppExtension<>(GrpcTestApp.class, ResourceHelpers.resourceFilePath("grpc-test.yml"));

    private ManagedChannel channel;

    @BeforeEach
    void connect() {
        GrpcTestApp app = APP.getApplication();
        channel = NettyChannelBuilder.forAddress("127.0.0.1", app.grpcServer.port()).usePlaintext().build();
    }

    @AfterEach
    void disconnect() {
        channel.shutdownNow();
    }

    @Test
    void theYamlBlocksConfigureTheServerAndTheClient() {
        GrpcTestApp app = APP.getApplication();
        assertThat(app.grpcServer.port()).as("port 0 bound to a real port").isPositive();
        assertThat(app.config.grpc.maxInboundMessageSize.toMebibytes()).isEqualTo(8);
        assertThat(app.config.grpcClient.defaultDeadline.toSeconds()).isEqualTo(2);
    }

    @Test
    void servesTheServiceAndHealthAndCountsCallsOnTheAdminPort() throws Exception {
        assertThat(HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .check(HealthCheckRequest.getDefaultInstance()).getStatus()).isEqualTo(ServingStatus.SERVING);

        Metadata caller = new Metadata();
        caller.put(Metadata.Key.of("x-tenant-id", Metadata.ASCII_STRING_MARSHALLER), "tenant-app");
        var reply = EchoServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(caller))
                .echo(EchoRequest.newBuilder().setText("hello").build());
        assertThat(reply.getInstance()).isEqualTo("app");
        assertThat(reply.getSeen(0).getTenantId()).isEqualTo("tenant-app");

        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + APP.getAdminPort() + "/metrics/prometheus")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains(
                "grpc_server_handled_total{code=\"OK\",method=\"Echo\",service=\"wizmesh.test.v1.EchoService\"} 1");
    }
}
