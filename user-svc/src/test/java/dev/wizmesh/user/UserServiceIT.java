package dev.wizmesh.user;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import dev.wizmesh.testing.PostgresDatabase;
import dev.wizmesh.testing.PostgresExtension;
import dev.wizmesh.testing.ServiceApi;
import dev.wizmesh.testing.ServiceApi.Caller;
import dev.wizmesh.testing.ServiceApi.Reply;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** user-svc in process, on a real PostgreSQL, called over real HTTP with the gateway's headers. */
class UserServiceIT {
    @RegisterExtension
    @Order(1)
    static final PostgresExtension POSTGRES = new PostgresExtension();

    static final Path KEY_DIR = scratch();

    @RegisterExtension
    @Order(2)
    static final DropwizardAppExtension<UserConfiguration> APP = new DropwizardAppExtension<>(
            UserApplication.class, Path.of("..", "config", "user-svc.yml").toString(),
            ConfigOverride.config("server.applicationConnectors[0].port", "0"),
            ConfigOverride.config("server.adminConnectors[0].port", "0"),
            ConfigOverride.config("grpc.port", "0"),
            ConfigOverride.config("discovery.mode", "static"),
            ConfigOverride.config("database.url", () -> db().urlWithoutCredentials()),
            ConfigOverride.config("database.owner.user", () -> db().username()),
            ConfigOverride.config("database.owner.password", () -> db().password()),
            ConfigOverride.config("auth.signingKey", KEY_DIR.resolve("jwt.pem").toString()),
            ConfigOverride.config("auth.passwordHashCost", "4"),
            ConfigOverride.config("auth.loginThrottle.maxFailures", "3"),
            ConfigOverride.config("auth.loginThrottle.lockout", "30s"));

    static ServiceApi api;
    static Tenant acme;
    static Tenant globex;

    record Tenant(String id, String adminId, String adminEmail, String password) {
        Caller admin() {
            return new Caller(id, adminId, "admin");
        }
    }

    static PostgresDatabase db() {
        return POSTGRES.database();
    }

    static Path scratch() {
        try {
            return Files.createTempDirectory("user-svc-keys");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeAll
    static void signUpTwoTenants() {
        api = new ServiceApi(APP.getLocalPort());
        acme = signUp("Acme", "boss@acme.test");
        globex = signUp("Globex", "boss@globex.test");
    }

    static Tenant signUp(String name, String email) {
        Reply r = api.post("/api/v1/tenants", Caller.ANONYMOUS,
                Map.of("name", name, "adminEmail", email, "adminPassword", "correct horse battery"));
        assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
        return new Tenant(r.body().get("tenantId").asText(), r.body().get("adminUserId").asText(), email, "correct horse battery");
    }

    static Reply login(String tenantId, String email, String password) {
        return api.post("/api/v1/auth/login", Caller.ANONYMOUS, Map.of("tenantId", tenantId, "email", email, "password", password));
    }

    // --- sign-up, login, JWT ---

    @Test
    void loginIssuesAnRs256TokenThatVerifiesAgainstTheJwks() throws Exception {
        Reply r = login(acme.id, "Boss@Acme.test ", acme.password);
        assertThat(r.status()).as(r.body().toString()).isEqualTo(200);
        assertThat(r.body().get("tokenType").asText()).isEqualTo("Bearer");
        assertThat(r.body().get("expiresIn").asLong()).isEqualTo(3600);

        SignedJWT jwt = SignedJWT.parse(r.body().get("accessToken").asText());
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
        Reply jwks = api.get("/.well-known/jwks.json", Caller.ANONYMOUS);
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.header("Cache-Control")).contains("max-age=300");
        JWKSet set = JWKSet.parse(jwks.raw().body());
        RSAKey key = (RSAKey) set.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("the token's kid is published").isNotNull();
        assertThat(key.isPrivate()).isFalse();
        assertThat(jwks.raw().body()).doesNotContain("\"d\"");
        assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();

        var claims = jwt.getJWTClaimsSet();
        assertThat(claims.getSubject()).isEqualTo(acme.adminId);
        assertThat(claims.getStringClaim("tid")).isEqualTo(acme.id);
        assertThat(claims.getStringListClaim("roles")).containsExactly("admin");
        assertThat(claims.getIssuer()).isEqualTo("wizmesh");
        assertThat(claims.getExpirationTime().toInstant()).isAfter(Instant.now().plusSeconds(3500));
        assertThat(claims.getIssueTime()).isNotNull();
    }

    @Test
    void wrongPasswordUnknownUserAndUnknownTenantAreIndistinguishable() {
        List<Reply> replies = List.of(
                login(globex.id, globex.adminEmail, "wrong password!"),
                login(globex.id, "nobody@globex.test", globex.password),
                login(UUID.randomUUID().toString(), globex.adminEmail, globex.password),
                // another tenant's admin, with the right password, in the wrong tenant
                login(globex.id, acme.adminEmail, acme.password));
        for (Reply r : replies) {
            assertThat(r.status()).isEqualTo(401);
            assertThat(r.code()).isEqualTo("INVALID_CREDENTIALS");
            assertThat(r.body().path("error").path("message").asText()).isEqualTo(replies.get(0).body().path("error").path("message").asText());
        }
    }

    @Test
    void repeatedFailuresLockTheAccountEvenForTheRightPassword() {
        Tenant t = signUp("Throttled", "victim@throttled.test");
        for (int i = 0; i < 3; i++) {
            assertThat(login(t.id, t.adminEmail, "guess number " + i).status()).isEqualTo(401);
        }
        Reply locked = login(t.id, t.adminEmail, t.password);
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.code()).isEqualTo("TOO_MANY_LOGIN_ATTEMPTS");
        assertThat(Integer.parseInt(locked.header("Retry-After"))).isBetween(1, 30);
        // an address that names nobody is throttled the same way: a 429 reveals nothing
        for (int i = 0; i < 3; i++) {
            login(t.id, "ghost@throttled.test", "guess number " + i);
        }
        assertThat(login(t.id, "ghost@throttled.test", "x").status()).isEqualTo(429);
        // other accounts are unaffected
        assertThat(login(acme.id, acme.adminEmail, acme.password).status()).isEqualTo(200);
    }

    @Test
    void badBodiesAre422WithTheFieldsNamed() {
        Reply r = api.post("/api/v1/tenants", Caller.ANONYMOUS, Map.of("name", "", "adminEmail", "not-an-email", "adminPassword", "short"));
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(r.body().path("error").path("details").path("fields").findValuesAsText("field"))
                .containsExactly("adminEmail", "adminPassword", "name");
        Reply badTenant = login("not-a-uuid", "a@b.test", "x");
        assertThat(badTenant.status()).isEqualTo(422);
        Reply unknownField = api.post("/api/v1/tenants", Caller.ANONYMOUS,
                Map.of("name", "x", "adminEmail", "a@b.test", "adminPassword", "long enough pw", "plan", "gold"));
        assertThat(unknownField.status()).isEqualTo(400);
        assertThat(unknownField.code()).isEqualTo("MALFORMED_JSON");
        assertThat(unknownField.body().path("error").path("details").path("field").asText()).isEqualTo("plan");
        Reply tooLong = api.post("/api/v1/tenants", Caller.ANONYMOUS,
                Map.of("name", "x", "adminEmail", "a@b.test", "adminPassword", "ä".repeat(40)));
        assertThat(tooLong.status()).as("40 characters but 80 UTF-8 bytes: over bcrypt's 72").isEqualTo(422);
    }

    // --- users ---

    @Test
    void meNeedsACallerAndShowsNoHash() {
        assertThat(api.get("/api/v1/users/me", Caller.ANONYMOUS).status()).isEqualTo(401);
        Reply me = api.get("/api/v1/users/me", acme.admin());
        assertThat(me.status()).isEqualTo(200);
        assertThat(me.body().get("email").asText()).isEqualTo("boss@acme.test");
        assertThat(me.body().get("tenantId").asText()).isEqualTo(acme.id);
        assertThat(me.raw().body()).doesNotContain("hash").doesNotContain("$2y$");
    }

    @Test
    void adminsManageUsersOthersGet403() {
        Reply created = api.post("/api/v1/users", acme.admin(),
                Map.of("email", "Worker@Acme.test", "password", "worker password", "displayName", "Wanda"));
        assertThat(created.status()).as(created.body().toString()).isEqualTo(201);
        String workerId = created.body().get("id").asText();
        assertThat(created.header("Location")).endsWith("/api/v1/users/" + workerId);
        assertThat(created.body().get("roles").get(0).asText()).isEqualTo("user");
        Caller worker = new Caller(acme.id, workerId, "user");

        assertThat(api.post("/api/v1/users", worker, Map.of("email", "x@acme.test", "password", "0123456789")).status()).isEqualTo(403);
        assertThat(api.get("/api/v1/users", worker).code()).isEqualTo("FORBIDDEN");
        // refused before the body is read: no 422 that would coach a caller without the right
        assertThat(api.post("/api/v1/users", worker, Map.of("email", "not-an-email")).status()).isEqualTo(403);
        assertThat(api.post("/api/v1/users", Caller.ANONYMOUS, Map.of("email", "not-an-email")).status()).isEqualTo(401);
        assertThat(api.post("/api/v1/users", acme.admin(), Map.of("email", "worker@acme.test", "password", "0123456789")).code())
                .isEqualTo("EMAIL_TAKEN");

        Reply patched = api.send("PATCH", "/api/v1/users/" + workerId, acme.admin(), Map.of("displayName", "Wanda W."), Map.of());
        assertThat(patched.body().get("displayName").asText()).isEqualTo("Wanda W.");
        assertThat(login(acme.id, "worker@acme.test", "worker password").status()).isEqualTo(200);
        api.send("PATCH", "/api/v1/users/" + workerId, acme.admin(), Map.of("status", "DISABLED"), Map.of());
        assertThat(login(acme.id, "worker@acme.test", "worker password").status()).isEqualTo(401);

        assertThat(api.send("DELETE", "/api/v1/users/" + workerId, acme.admin(), null, Map.of()).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/users/" + workerId, acme.admin()).code()).isEqualTo("USER_NOT_FOUND");
        assertThat(api.get("/api/v1/users/not-a-uuid", acme.admin()).code()).isEqualTo("USER_NOT_FOUND");
    }

    @Test
    void theLastAdminCannotBeRemovedOrDemoted() {
        Tenant t = signUp("Solo", "solo@solo.test");
        Reply demote = api.send("PATCH", "/api/v1/users/" + t.adminId, t.admin(), Map.of("roles", List.of("user")), Map.of());
        assertThat(demote.status()).isEqualTo(409);
        assertThat(api.send("DELETE", "/api/v1/users/" + t.adminId, t.admin(), null, Map.of()).status()).isEqualTo(409);
    }

    @Test
    void listsPageWithCursors() {
        Tenant t = signUp("Paged", "admin@paged.test");
        for (int i = 0; i < 5; i++) {
            assertThat(api.post("/api/v1/users", t.admin(), Map.of("email", "u" + i + "@paged.test", "password", "0123456789")).status())
                    .isEqualTo(201);
        }
        Set<String> seen = new HashSet<>();
        String cursor = "";
        int pages = 0;
        do {
            Reply page = api.get("/api/v1/users?limit=2&cursor=" + cursor, t.admin());
            assertThat(page.status()).isEqualTo(200);
            page.body().get("items").forEach(u -> assertThat(seen.add(u.get("id").asText())).isTrue());
            JsonNode next = page.body().get("nextCursor");
            cursor = next.isNull() ? null : next.asText();
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(6);
        assertThat(pages).isEqualTo(3);
        assertThat(api.get("/api/v1/users?limit=0", t.admin()).status()).isEqualTo(422);
        assertThat(api.get("/api/v1/users?limit=abc", t.admin()).status()).isEqualTo(422);
        assertThat(api.get("/api/v1/users?cursor=garbage", t.admin()).status()).isEqualTo(400);
    }

    // --- isolation ---

    @Test
    void anotherTenantsUsersAre404AndNeverListed() {
        Reply bob = api.post("/api/v1/users", acme.admin(), Map.of("email", "bob@acme.test", "password", "0123456789"));
        String bobId = bob.body().get("id").asText();
        for (Reply r : List.of(
                api.get("/api/v1/users/" + bobId, globex.admin()),
                api.send("PATCH", "/api/v1/users/" + bobId, globex.admin(), Map.of("displayName", "pwned"), Map.of()),
                api.send("DELETE", "/api/v1/users/" + bobId, globex.admin(), null, Map.of()),
                api.send("POST", "/api/v1/users/" + bobId + "/wallet/credits", globex.admin(), Map.of("amountCents", 100),
                        Map.of("Idempotency-Key", "steal-" + UUID.randomUUID())))) {
            assertThat(r.status()).isEqualTo(404);
            assertThat(r.code()).isEqualTo("USER_NOT_FOUND");
        }
        List<String> globexIds = new ArrayList<>();
        api.get("/api/v1/users?limit=100", globex.admin()).body().get("items").forEach(u -> globexIds.add(u.get("id").asText()));
        assertThat(globexIds).doesNotContain(bobId, acme.adminId);
        // a forged caller claiming Acme's admin id inside Globex's tenant sees nothing
        assertThat(api.get("/api/v1/users/me", new Caller(globex.id, acme.adminId, "admin")).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/users/" + bobId, acme.admin()).status()).isEqualTo(200);
    }

    // --- wallets ---

    @Test
    void creditsAreIdempotentByKey() {
        Tenant t = signUp("Wallets", "admin@wallets.test");
        String path = "/api/v1/users/" + t.adminId + "/wallet/credits";
        Reply missingKey = api.post(path, t.admin(), Map.of("amountCents", 500));
        assertThat(missingKey.status()).isEqualTo(400);
        assertThat(missingKey.code()).isEqualTo("IDEMPOTENCY_KEY_REQUIRED");

        Reply first = api.send("POST", path, t.admin(), Map.of("amountCents", 500), Map.of("Idempotency-Key", "k1"));
        assertThat(first.status()).as(first.body().toString()).isEqualTo(201);
        assertThat(first.body().get("balanceCents").asLong()).isEqualTo(500);
        Reply replay = api.send("POST", path, t.admin(), Map.of("amountCents", 500), Map.of("Idempotency-Key", "k1"));
        assertThat(replay.status()).isEqualTo(201);
        assertThat(replay.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.body().get("entryId")).isEqualTo(first.body().get("entryId"));
        Reply conflict = api.send("POST", path, t.admin(), Map.of("amountCents", 700), Map.of("Idempotency-Key", "k1"));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.code()).isEqualTo("IDEMPOTENCY_KEY_REUSED");

        Reply wallet = api.get("/api/v1/users/me/wallet", t.admin());
        assertThat(wallet.body().get("balanceCents").asLong()).isEqualTo(500);
        assertThat(wallet.body().get("currency").asText()).isEqualTo("EUR");

        assertThat(api.send("POST", path, t.admin(), Map.of("amountCents", 0), Map.of("Idempotency-Key", "k2")).status()).isEqualTo(422);
        assertThat(api.send("POST", path, new Caller(t.id, t.adminId, "user"), Map.of("amountCents", 5),
                Map.of("Idempotency-Key", "k3")).status()).isEqualTo(403);
    }

    @Test
    void concurrentRetriesWithOneKeyCreditOnce() throws Exception {
        Tenant t = signUp("Racing", "admin@racing.test");
        String path = "/api/v1/users/" + t.adminId + "/wallet/credits";
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                replies.add(pool.submit(() -> api.send("POST", path, t.admin(), Map.of("amountCents", 250),
                        Map.of("Idempotency-Key", "same-key"))));
            }
            Set<String> entries = new HashSet<>();
            for (Future<Reply> f : replies) {
                Reply r = f.get();
                assertThat(r.status()).as(r.body().toString()).isEqualTo(201);
                entries.add(r.body().get("entryId").asText());
            }
            assertThat(entries).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(api.get("/api/v1/users/me/wallet", t.admin()).body().get("balanceCents").asLong()).isEqualTo(250);
    }

    // --- gRPC ---

    @Test
    void theGrpcApiAnswersInTheCallersTenantOnly() throws Exception {
        int port = APP.<UserApplication>getApplication().grpcServer().port();
        var instances = new dev.wizmesh.discovery.catalog.StaticInstances(
                Map.of("user-svc", List.of("127.0.0.1:1?grpc=" + port)));
        try (var channels = new dev.wizmesh.grpc.client.GrpcClientFactory()
                .build(io.opentelemetry.api.OpenTelemetry.noop(), instances)) {
            var stub = dev.wizmesh.grpc.user.v1.UserServiceGrpc.newBlockingStub(channels.channel("user-svc"));
            var request = dev.wizmesh.grpc.user.v1.GetUserRequest.newBuilder().setUserId(acme.adminId).build();
            var asAcme = new dev.wizmesh.platform.context.RequestContext("rid-1", acme.id, acme.adminId, Set.of("admin"));
            try (var scope = asAcme.attach()) {
                var user = stub.getUser(request);
                assertThat(user.getEmail()).isEqualTo(acme.adminEmail);
                assertThat(user.getTenantId()).isEqualTo(acme.id);
                assertThat(stub.getWallet(dev.wizmesh.grpc.user.v1.GetWalletRequest.newBuilder().setUserId(acme.adminId).build())
                        .getCurrency()).isEqualTo("EUR");
            }
            var asGlobex = new dev.wizmesh.platform.context.RequestContext("rid-2", globex.id, globex.adminId, Set.of("admin"));
            try (var scope = asGlobex.attach()) {
                var failure = org.assertj.core.api.Assertions.catchThrowableOfType(io.grpc.StatusRuntimeException.class,
                        () -> stub.getUser(request));
                assertThat(failure.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.NOT_FOUND);
                assertThat(dev.wizmesh.grpc.errors.GrpcErrors.toApiException(failure, "user-svc").code())
                        .isEqualTo(dev.wizmesh.platform.errors.ErrorCode.USER_NOT_FOUND);
            }
        }
    }

    @Test
    void signUpCanBeSwitchedOffInYaml() {
        // the running app has it on; the switch itself is exercised on the domain class
        var signup = new dev.wizmesh.user.core.TenantSignup(APP.<UserApplication>getApplication().database(),
                new dev.wizmesh.user.auth.PasswordHasher(4), "EUR", false);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> signup.signUp("x", "a@b.test", "0123456789"))
                .hasMessageContaining("sign-up is switched off");
    }
}
