package dev.wizmesh.user.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Key files, kids and rotation: what a verifier needs to keep accepting tokens across a key change. */
class SigningKeysTest {
    @TempDir
    Path dir;

    @Test
    void aGeneratedKeyIsWrittenOnceAndReadBackIdentically() throws Exception {
        Path file = dir.resolve("keys/jwt.pem");
        KeyPair first = PemKeys.generateIfAbsent(file);
        KeyPair second = PemKeys.generateIfAbsent(file);
        assertThat(second.getPublic()).isEqualTo(first.getPublic());
        assertThat(Files.readString(file)).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Files.list(file.getParent()).count()).as("no temporary files left").isEqualTo(1);
    }

    @Test
    void afterARotationBothKeysArePublishedAndOldTokensStillVerify() throws Exception {
        KeyPair oldPair = PemKeys.generateIfAbsent(dir.resolve("old.pem"));
        SigningKeys before = new SigningKeys(oldPair, List.of());
        TokenIssuer oldIssuer = new TokenIssuer(before, "wizmesh", Duration.ofHours(1), Clock.systemUTC());
        String oldToken = oldIssuer.issue(UUID.randomUUID(), UUID.randomUUID(), List.of("user")).token();

        KeyPair newPair = PemKeys.generateIfAbsent(dir.resolve("new.pem"));
        RSAPublicKey oldPublic = PemKeys.readPublic(dir.resolve("old.pem"));
        SigningKeys after = new SigningKeys(newPair, List.of(oldPublic));
        String newToken = new TokenIssuer(after, "wizmesh", Duration.ofHours(1), Clock.systemUTC())
                .issue(UUID.randomUUID(), UUID.randomUUID(), List.of("user")).token();

        JWKSet published = JWKSet.parse(after.jwks());
        assertThat(published.getKeys()).hasSize(2);
        assertThat(before.currentKeyId()).isNotEqualTo(after.currentKeyId());
        for (String token : List.of(oldToken, newToken)) {
            SignedJWT jwt = SignedJWT.parse(token);
            RSAKey key = (RSAKey) published.getKeyByKeyId(jwt.getHeader().getKeyID());
            assertThat(key).isNotNull();
            assertThat(jwt.verify(new RSASSAVerifier(key))).isTrue();
        }
        assertThat(SignedJWT.parse(newToken).getHeader().getKeyID()).isEqualTo(after.currentKeyId());
    }

    @Test
    void theSameKeyHasTheSameKidEverywhere() {
        KeyPair pair = PemKeys.generateIfAbsent(dir.resolve("k.pem"));
        assertThat(new SigningKeys(pair, List.of()).currentKeyId())
                .isEqualTo(new SigningKeys(PemKeys.readPrivate(dir.resolve("k.pem")), List.of()).currentKeyId());
    }
}
