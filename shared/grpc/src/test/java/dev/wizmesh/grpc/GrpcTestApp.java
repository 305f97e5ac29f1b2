package dev.wizmesh.grpc;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.discovery.DiscoveredServiceConfiguration;
import dev.wizmesh.discovery.Discovery;
import dev.wizmesh.grpc.client.GrpcChannels;
import dev.wizmesh.grpc.client.GrpcClientFactory;
import dev.wizmesh.grpc.server.GrpcServer;
import dev.wizmesh.grpc.server.GrpcServerFactory;
import dev.wizmesh.platform.PlatformBundle;
import io.dropwizard.core.Application;
import io.dropwizard.core.setup.Bootstrap;
import io.dropwizard.core.setup.Environment;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;

/** A service as user-svc or product-svc wire it: a gRPC server and channels, from YAML. */
public class GrpcTestApp extends Application<GrpcTestApp.Config> {
    public static class Config extends DiscoveredServiceConfiguration {
        @Valid
        @NotNull
        @JsonProperty
        public GrpcServerFactory grpc = new GrpcServerFactory();

        @Valid
        @NotNull
        @JsonProperty
        public GrpcClientFactory grpcClient = new GrpcClientFactory();
    }

    final PlatformBundle<Config> platform = new PlatformBundle<>();
    GrpcServer grpcServer;
    GrpcChannels channels;
    Config config;

    @Override
    public String getName() {
        return "echo-svc";
    }

    @Override
    public void initialize(Bootstrap<Config> bootstrap) {
        bootstrap.addBundle(platform);
    }

    @Override
    public void run(Config configuration, Environment environment) {
        config = configuration;
        grpcServer = configuration.grpc.build(environment, platform, new EchoService("app"));
        Discovery discovery = configuration.getDiscovery().build(environment, platform, grpcServer::port);
        channels = configuration.grpcClient.build(environment, platform, discovery.instances());
    }
}
