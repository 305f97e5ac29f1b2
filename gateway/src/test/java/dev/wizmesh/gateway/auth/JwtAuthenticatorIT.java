package dev.wizmesh.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.codahale.metrics.health.HealthCheck;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.wizmesh.discovery.catalog.StaticInstances;
import io.dropwizard.util.Duration;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The authenticator against a real JWKS endpoint on loopback, found through a static instance
 * list: every accepted and refused token, key rotation, the unknown-kid rate limit, user-svc down.
 */
class JwtAuthenticatorIT {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-hs256";
    private static final String USER = UUID.randomUUID().toString();
    private static final String TENANT = UUID.randomUUID().toString();
    private static final String PLAIN = "Bearer realm=\"wizmesh\"";

    private static RSAKey keyA;
    private static RSAKey keyB;
    private static RSAKey stranger;

    private JwksServer jwks;
    private MutableClock clock;
    private JwtAuthenticator auth;

    @BeforeAll
    static void keys() throws Exception {
        keyA = new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
        keyB = new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
        stranger = new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
    }

    @BeforeEach
    void start() throws Exception {
        jwks = new JwksServer();
        jwks.serve(keyA);
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
        auth = started(factory(), jwks.address());
    }

    @AfterEach
    void stop() {
        auth.keys().ifPresent(JwksKeys::stop);
        jwks.close();
    }

    private JwtAuthFactory factory() {
        JwtAuthFactory factory = new JwtAuthFactory();
        factory.getJwks().setRefreshInterval(Duration.hours(1));   // the background refresh never fires in a test
        factory.getJwks().setMinRefreshInterval(Duration.seconds(10));
        return factory;
    }

    private JwtAuthenticator started(JwtAuthFactory factory, String... userSvc) {
        JwtAuthenticator built = factory.build(new StaticInstances(Map.of("user-svc", List.of(userSvc))),
                new PrometheusRegistry(), clock);
        built.keys().ifPresent(JwksKeys::start);
        return built;
    }

    // ---- tokens ----

    private Instant now() {
        return clock.instant();
    }

    private JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder()
                .subject(USER)
                .claim("tid", TENANT)
                .claim("roles", List.of("admin", "user"))
                .issuer("wizmesh")
                .issueTime(Date.from(now()))
                .expirationTime(Date.from(now().plusSeconds(3600)))
                .jwtID(UUID.randomUUID().toString());
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) throws Exception {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private String rs256(RSAKey key, String kid, Consumer<JWTClaimsSet.Builder> edit) throws Exception {
        JWTClaimsSet.Builder builder = claims();
        edit.accept(builder);
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build();
        return sign(header, builder.build(), new RSASSASigner(key));
    }

    private String token(Consumer<JWTClaimsSet.Builder> edit) throws Exception {
        return rs256(keyA, keyA.getKeyID(), edit);
    }

    private String token() throws Exception {
        return token(c -> { });
    }

    private String hs256(byte[] secret, Consumer<JWTClaimsSet.Builder> edit) throws Exception {
        JWTClaimsSet.Builder builder = claims();
        edit.accept(builder);
        return sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(keyA.getKeyID()).build(), builder.build(),
                new MACSigner(secret));
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static String invalid(String description) {
        return PLAIN + ", error=\"invalid_token\", error_description=\"" + description + "\"";
    }

    /** Refused with this reason and challenge; the token itself appears in neither. */
    private void assertRefused(JwtAuthenticator authenticator, String header, String reason, String challenge) {
        AuthenticationFailure failure = catchThrowableOfType(AuthenticationFailure.class,
                () -> authenticator.authenticate(header));
        assertThat(failure).as("refused: " + reason).isNotNull();
        assertThat(failure.reason()).isEqualTo(reason);
        assertThat(failure.wwwAuthenticate()).isEqualTo(challenge);
        if (header != null && header.length() > 20) {
            String token = header.substring(header.indexOf(' ') + 1);
            assertThat(failure.reason() + failure.wwwAuthenticate() + failure.getMessage()).doesNotContain(token);
        }
    }

    private void assertInvalid(String token, String reason) {
        assertRefused(auth, bearer(token), reason, invalid(reason));
    }

    // ---- accepted ----

    @Test
    void aValidTokenGivesTheCaller() throws Exception {
        Caller caller = auth.authenticate(bearer(token()));

        assertThat(caller).isEqualTo(new Caller(USER, TENANT, List.of("admin", "user")));
        assertThat(auth.authenticate("bearer  " + token() + " ").userId()).isEqualTo(USER);   // scheme in any case
        assertThat(auth.authenticate(bearer(token(c -> c.claim("roles", null)))).roles()).isEmpty();
        assertThat(jwks.requests()).isEqualTo(1);                         // the start-up fetch, then the cache
        assertThat(auth.keys().orElseThrow().healthCheck().execute().isHealthy()).isTrue();
    }

    @Test
    void timesWithinTheClockSkewPass() throws Exception {
        assertThat(auth.authenticate(bearer(token(c -> c
                .expirationTime(Date.from(now().minusSeconds(20)))
                .notBeforeTime(Date.from(now().plusSeconds(20)))
                .issueTime(Date.from(now().plusSeconds(20)))))).userId()).isEqualTo(USER);
    }

    // ---- refused: the header ----

    @Test
    void noTokenIsAChallengeWithoutAnError() {
        assertRefused(auth, null, "missing bearer token", PLAIN);
        assertRefused(auth, "  ", "missing bearer token", PLAIN);
        assertRefused(auth, "Basic dXNlcjpwYXNz", "authorization scheme is not Bearer", PLAIN);
        assertRefused(auth, "Bearer", "empty bearer token",
                PLAIN + ", error=\"invalid_request\", error_description=\"empty bearer token\"");
        assertRefused(auth, "Bearer   ", "empty bearer token",
                PLAIN + ", error=\"invalid_request\", error_description=\"empty bearer token\"");
    }

    @Test
    void malformedTokens() throws Exception {
        assertInvalid("not-a-jwt", "malformed token");
        assertInvalid("a.b", "malformed token");
        assertInvalid("a.b.c", "malformed token");
        assertInvalid("abc def", "malformed token");
        assertInvalid(token().replace('.', '!'), "malformed token");
        assertInvalid("e" + "x".repeat(JwtAuthenticator.MAX_HEADER_LENGTH) + ".a.b", "malformed token");
        String[] parts = token().split("\\.");
        String notJsonClaims = parts[0] + "." + Base64URL.encode("[1,2]") + "." + parts[2];
        assertInvalid(notJsonClaims, "bad signature");                // the signature is checked before the claims are read
        assertThat(jwks.requests()).isEqualTo(1);
    }

    // ---- refused: the algorithm and the signature ----

    @Test
    void unsignedTokensAreRefused() throws Exception {
        String none = new PlainJWT(claims().build()).serialize();      // {"alg":"none"} and an empty signature
        assertInvalid(none, "unsigned token (alg none) not accepted");
        String[] signed = token().split("\\.");
        String noneHeaderWithSignature = Base64URL.encode("{\"alg\":\"none\"}") + "." + signed[1] + "." + signed[2];
        assertInvalid(noneHeaderWithSignature, "malformed token");
        String noneInOtherCase = Base64URL.encode("{\"alg\":\"None\",\"kid\":\"" + keyA.getKeyID() + "\"}")
                + "." + signed[1] + "." + signed[2];
        assertInvalid(noneInOtherCase, "signature algorithm not allowed");
    }

    @Test
    void anRs256OnlyConfigRefusesHmacOutright() throws Exception {
        assertInvalid(hs256(SECRET.getBytes(StandardCharsets.UTF_8), c -> { }), "signature algorithm not allowed");
        byte[] publicKeyAsSecret = keyA.toRSAPublicKey().getEncoded();
        assertInvalid(hs256(publicKeyAsSecret, c -> { }), "signature algorithm not allowed");
        assertInvalid(sign(new JWSHeader.Builder(JWSAlgorithm.RS512).keyID(keyA.getKeyID()).build(), claims().build(),
                new RSASSASigner(keyA)), "signature algorithm not allowed");
    }

    @Test
    void algorithmConfusionFailsEvenWithHmacAllowed() throws Exception {
        JwtAuthFactory factory = factory();
        factory.setAlgorithms(List.of("RS256", "HS256"));
        factory.setHmacSecret(SECRET);
        JwtAuthenticator both = started(factory, jwks.address());
        try {
            // the classic attack: HS256 with the RSA public key (as published) as the HMAC secret
            for (byte[] secret : new byte[][] {
                    keyA.toRSAPublicKey().getEncoded(),
                    keyA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8),
                    keyA.toPublicJWK().getModulus().decode()}) {
                String forged = hs256(secret, c -> { });
                assertRefused(both, bearer(forged), "bad signature", invalid("bad signature"));
            }
        } finally {
            both.keys().orElseThrow().stop();
        }
    }

    @Test
    void badSignatures() throws Exception {
        assertInvalid(rs256(stranger, keyA.getKeyID(), c -> { }), "bad signature");   // A's kid, another key
        String[] parts = token().split("\\.");
        String tampered = parts[0] + "." + Base64URL.encode(claims().claim("roles", List.of("admin", "owner"))
                .build().toString()) + "." + parts[2];
        assertInvalid(tampered, "bad signature");
        assertInvalid(parts[0] + "." + parts[1] + ".", "malformed token");                 // RS256 with the signature cut off
        assertInvalid(sign(new JWSHeader.Builder(JWSAlgorithm.RS256).build(), claims().build(), new RSASSASigner(keyA)),
                "token has no key id");
    }

    @Test
    void anUnknownKidIsRefusedAfterOneRefetch() throws Exception {
        assertInvalid(rs256(stranger, stranger.getKeyID(), c -> { }), "unknown key id");
        assertThat(jwks.requests()).isEqualTo(2);
    }

    @Test
    void unexpectedTokenTypesAreRefused() throws Exception {
        String logoutToken = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyA.getKeyID())
                .type(new JOSEObjectType("logout+jwt")).build(), claims().build(), new RSASSASigner(keyA));
        assertInvalid(logoutToken, "unexpected token type");
        String accessToken = sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(keyA.getKeyID())
                .type(new JOSEObjectType("at+jwt")).build(), claims().build(), new RSASSASigner(keyA));
        assertThat(auth.authenticate(bearer(accessToken)).userId()).isEqualTo(USER);
    }

    // ---- refused: the claims ----

    @Test
    void timesOutsideTheClockSkew() throws Exception {
        assertInvalid(token(c -> c.expirationTime(Date.from(now().minusSeconds(31)))), "token expired");
        assertInvalid(token(c -> c.notBeforeTime(Date.from(now().plusSeconds(60)))), "token not yet valid");
        assertInvalid(token(c -> c.issueTime(Date.from(now().plusSeconds(60)))), "token issued in the future");
        String valid = token();
        clock.advance(java.time.Duration.ofHours(2));
        assertInvalid(valid, "token expired");
    }

    @Test
    void issuerAndAudience() throws Exception {
        assertInvalid(token(c -> c.issuer("someone-else")), "wrong issuer");
        assertInvalid(token(c -> c.issuer(null)), "wrong issuer");

        JwtAuthFactory factory = factory();
        factory.setAudience("wizmesh-api");
        JwtAuthenticator withAudience = started(factory, jwks.address());
        try {
            assertRefused(withAudience, bearer(token()), "wrong audience", invalid("wrong audience"));
            assertRefused(withAudience, bearer(token(c -> c.audience("other"))), "wrong audience", invalid("wrong audience"));
            assertThat(withAudience.authenticate(bearer(token(c -> c.audience(List.of("other", "wizmesh-api"))))).userId())
                    .isEqualTo(USER);
        } finally {
            withAudience.keys().orElseThrow().stop();
        }
    }

    @Test
    void requiredClaimsAndTheirShapes() throws Exception {
        assertInvalid(token(c -> c.subject(null)), "missing required claim sub");
        assertInvalid(token(c -> c.claim("tid", null)), "missing required claim tid");
        assertInvalid(token(c -> c.expirationTime(null)), "missing required claim exp");
        assertInvalid(token(c -> c.subject("alice")), "sub is not a UUID");
        assertInvalid(token(c -> c.subject(USER + "\r\nX-Tenant-ID: x")), "sub is not a UUID");
        assertInvalid(token(c -> c.claim("tid", "tenant-1")), "tid is not a UUID");
        assertInvalid(token(c -> c.claim("tid", 42)), "tid is not a UUID");
        assertInvalid(token(c -> c.claim("roles", "admin")), "roles must be a list of role names");
        assertInvalid(token(c -> c.claim("roles", List.of(1, 2))), "roles must be a list of role names");
        assertInvalid(token(c -> c.claim("roles", List.of("user", "admin,root"))), "roles must be a list of role names");
        assertInvalid(token(c -> c.claim("exp", "tomorrow")), "malformed claims");
    }

    @Test
    void aRememberedTokenIsCheckedAgainOnceExpiredOrItsKeyIsDropped() throws Exception {
        String expiring = token(c -> c.expirationTime(Date.from(now().plusSeconds(40))));
        assertThat(auth.authenticate(bearer(expiring)).userId()).isEqualTo(USER);
        assertThat(auth.authenticate(bearer(expiring)).userId()).isEqualTo(USER);   // the verified-token cache
        clock.advance(java.time.Duration.ofSeconds(71));                            // past exp and the 30 s skew
        assertInvalid(expiring, "token expired");

        String valid = token();
        assertThat(auth.authenticate(bearer(valid)).userId()).isEqualTo(USER);
        jwks.serve(keyB);                                              // A dropped
        assertThat(auth.keys().orElseThrow().refresh()).isTrue();
        assertInvalid(valid, "unknown key id");
    }

    // ---- keys: rotation, rate limit, user-svc down ----

    @Test
    void aRotatedKeyIsFetchedOnceAndPasses() throws Exception {
        jwks.serve(keyB, keyA);                                        // user-svc signs with B, still publishes A

        assertThat(auth.authenticate(bearer(rs256(keyB, keyB.getKeyID(), c -> { })))).isNotNull();
        assertThat(auth.authenticate(bearer(rs256(keyB, keyB.getKeyID(), c -> { })))).isNotNull();
        assertThat(auth.authenticate(bearer(token()))).isNotNull();    // A until it is dropped
        assertThat(jwks.requests()).isEqualTo(2);                      // start-up + one for B's kid

        jwks.serve(keyB);                                              // A dropped after its tokens expired
        assertThat(auth.keys().orElseThrow().refresh()).isTrue();
        assertInvalid(token(), "unknown key id");                      // rate-limited: no fetch for A's kid
        assertThat(jwks.requests()).isEqualTo(3);
    }

    @Test
    void aFloodOfUnknownKidsCostsOneFetchPerInterval() throws Exception {
        for (int i = 0; i < 50; i++) {
            assertInvalid(rs256(stranger, UUID.randomUUID().toString(), c -> { }), "unknown key id");
        }
        assertThat(jwks.requests()).isEqualTo(2);                      // start-up + one

        clock.advance(java.time.Duration.ofSeconds(9));
        assertInvalid(rs256(stranger, "kid-9s", c -> { }), "unknown key id");
        assertThat(jwks.requests()).isEqualTo(2);

        clock.advance(java.time.Duration.ofSeconds(2));                // 11 s after the first: one more allowed
        jwks.serve(keyA, keyB);
        for (int i = 0; i < 20; i++) {
            assertInvalid(rs256(stranger, UUID.randomUUID().toString(), c -> { }), "unknown key id");
        }
        assertThat(jwks.requests()).isEqualTo(3);
        assertThat(auth.authenticate(bearer(rs256(keyB, keyB.getKeyID(), c -> { })))).isNotNull();   // B came with it
        assertThat(jwks.requests()).isEqualTo(3);
    }

    @Test
    void userSvcDownKeepsTheCachedKeysAndReportsStale() throws Exception {
        JwksKeys keys = auth.keys().orElseThrow();
        assertThat(keys.healthCheck().execute().isHealthy()).isTrue();
        jwks.close();

        assertThat(keys.refresh()).isFalse();
        assertThat(auth.authenticate(bearer(token()))).isNotNull();
        HealthCheck.Result health = keys.healthCheck().execute();
        assertThat(health.isHealthy()).isFalse();
        assertThat(health.getMessage()).startsWith("stale: serving 1 keys");
        assertThat(keys.status().stale()).isTrue();

        clock.advance(java.time.Duration.ofSeconds(11));
        assertInvalid(rs256(keyB, keyB.getKeyID(), c -> { }), "unknown key id");   // the fetch for it fails: refused, not hung
        assertThat(auth.authenticate(bearer(token()))).isNotNull();
    }

    @Test
    void anEmptyKeySetDoesNotReplaceTheGoodOne() throws Exception {
        jwks.serve();
        assertThat(auth.keys().orElseThrow().refresh()).isFalse();
        assertThat(auth.authenticate(bearer(token()))).isNotNull();
    }

    @Test
    void aDeadInstanceIsSkippedForAnother() throws Exception {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        JwtAuthenticator failover = started(factory(), "127.0.0.1:" + deadPort, jwks.address());
        try {
            assertThat(failover.authenticate(bearer(token())).userId()).isEqualTo(USER);
            assertThat(failover.keys().orElseThrow().refresh()).isTrue();
            assertThat(failover.keys().orElseThrow().refresh()).isTrue();
        } finally {
            failover.keys().orElseThrow().stop();
        }
    }

    @Test
    void noKeysYetIsUnhealthyAndRefused() throws Exception {
        JwtAuthenticator nobody = started(factory());                  // no instance of user-svc
        try {
            assertRefused(nobody, bearer(token()), "unknown key id", invalid("unknown key id"));
            HealthCheck.Result health = nobody.keys().orElseThrow().healthCheck().execute();
            assertThat(health.isHealthy()).isFalse();
            assertThat(health.getMessage()).contains("no UP instance of user-svc");
        } finally {
            nobody.keys().orElseThrow().stop();
        }
    }

    @Test
    void aFixedUrlInsteadOfDiscovery() throws Exception {
        JwtAuthFactory factory = factory();
        factory.getJwks().setUrl("http://127.0.0.1:" + jwks.port() + JwksServer.PATH);
        JwtAuthenticator fixed = started(factory);                     // discovery knows no user-svc
        try {
            assertThat(fixed.authenticate(bearer(token())).tenantId()).isEqualTo(TENANT);
        } finally {
            fixed.keys().orElseThrow().stop();
        }
    }

    // ---- HS256 ----

    @Test
    void hs256WithAConfiguredSecret() throws Exception {
        JwtAuthFactory factory = factory();
        factory.setAlgorithms(List.of("HS256"));
        factory.setHmacSecret(SECRET);
        JwtAuthenticator hmac = started(factory);
        assertThat(hmac.keys()).isEmpty();                              // no JWKS needed
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);

        assertThat(hmac.authenticate(bearer(hs256(secret, c -> { })))).isEqualTo(new Caller(USER, TENANT, List.of("admin", "user")));
        byte[] other = "another-secret-of-at-least-32-bytes!!".getBytes(StandardCharsets.UTF_8);
        assertRefused(hmac, bearer(hs256(other, c -> { })), "bad signature", invalid("bad signature"));
        assertRefused(hmac, bearer(token()), "signature algorithm not allowed", invalid("signature algorithm not allowed"));
        assertRefused(hmac, bearer(hs256(secret, c -> c.expirationTime(Date.from(now().minusSeconds(60))))),
                "token expired", invalid("token expired"));
    }

    @Test
    void hs256NeedsALongEnoughSecret() {
        JwtAuthFactory noSecret = factory();
        noSecret.setAlgorithms(List.of("RS256", "HS256"));
        assertThatThrownBy(() -> noSecret.build(new StaticInstances(Map.of()), new PrometheusRegistry(), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs hmacSecret");

        JwtAuthFactory shortSecret = factory();
        shortSecret.setAlgorithms(List.of("HS256"));
        shortSecret.setHmacSecret("too-short");
        assertThatThrownBy(() -> shortSecret.build(new StaticInstances(Map.of()), new PrometheusRegistry(), clock))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 32 bytes")
                .hasMessageNotContaining("too-short");
    }
}
