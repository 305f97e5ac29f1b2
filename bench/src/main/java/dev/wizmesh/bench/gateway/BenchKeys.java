package dev.wizmesh.bench.gateway;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The benchmark's identity provider and trace collector, on one JDK HttpServer on loopback:
 * an RS256 key whose JWK Set is served at {@code /jwks.json} (the gateway's fixed
 * {@code auth.jwks.url}), tokens signed with it as user-svc would sign them, and an OTLP/HTTP
 * sink at {@code /v1/traces} that answers every export with an empty 200 and counts them.
 */
final class BenchKeys implements AutoCloseable {
    static final String ISSUER = "wizmesh";

    private final RSAKey key;
    private final HttpServer server;
    private final AtomicLong jwksFetches = new AtomicLong();
    private final AtomicLong traceExports = new AtomicLong();
    private final AtomicLong traceBytes = new AtomicLong();

    BenchKeys() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("bench-" + UUID.randomUUID()).generate();
        byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/jwks.json", exchange -> {
            jwksFetches.incrementAndGet();
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, jwks.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(jwks);
            }
        });
        server.createContext("/v1/traces", exchange -> {
            traceExports.incrementAndGet();
            traceBytes.addAndGet(exchange.getRequestBody().readAllBytes().length);
            exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
            exchange.sendResponseHeaders(200, -1); // an empty ExportTraceServiceResponse
            exchange.close();
        });
        server.start();
    }

    String jwksUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
    }

    String otlpEndpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** One token per simulated user (distinct sub, a few tenants), valid for {@code validFor}. */
    List<String> tokens(int users, Duration validFor) throws Exception {
        RSASSASigner signer = new RSASSASigner(key);
        Instant now = Instant.now();
        List<String> tokens = new ArrayList<>(users);
        List<String> tenants = List.of(UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString());
        for (int i = 0; i < users; i++) {
            JWTClaimsSet claims = new JWTClaimsSet.Builder()
                    .issuer(ISSUER)
                    .subject(UUID.randomUUID().toString())
                    .claim("tid", tenants.get(i % tenants.size()))
                    .claim("roles", List.of("customer"))
                    .issueTime(Date.from(now))
                    .expirationTime(Date.from(now.plus(validFor)))
                    .build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID())
                    .type(JOSEObjectType.JWT).build(), claims);
            jwt.sign(signer);
            tokens.add(jwt.serialize());
        }
        return tokens;
    }

    long jwksFetches() {
        return jwksFetches.get();
    }

    long traceExports() {
        return traceExports.get();
    }

    long traceBytes() {
        return traceBytes.get();
    }

    @Override
    public void close() throws IOException {
        server.stop(0);
    }
}
