package dev.wizmesh.grpc.tracing;

import io.grpc.Metadata;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/** gRPC metadata as the carrier OpenTelemetry's propagators read and write ({@code traceparent}, ...). */
final class MetadataCarrier {
    static final TextMapSetter<Metadata> SETTER = (metadata, key, value) -> {
        if (metadata != null) {
            Metadata.Key<String> k = Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER);
            metadata.discardAll(k);
            metadata.put(k, value);
        }
    };

    static final TextMapGetter<Metadata> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Metadata metadata) {
            return metadata.keys();
        }

        @Override
        public String get(Metadata metadata, String key) {
            if (metadata == null || key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
                return null;
            }
            return metadata.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
        }
    };

    private MetadataCarrier() {
    }
}
