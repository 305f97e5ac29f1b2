package dev.wizmesh.user.auth;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.dropwizard.util.Duration;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.interfaces.RSAPublicKey;
import java.time.Clock;
import java.util.List;

/**
 * The {@code auth:} block of user-svc's YAML: who signs tokens with which key, for how long, and
 * how hard passwords are to guess.
 */
public class AuthFactory {
    @NotBlank
    private String issuer = "wizmesh";

    @NotNull
    private Duration tokenTtl = Duration.hours(1);

    /** PKCS#8 PEM file of the RSA key that signs tokens. */
    @NotBlank
    private String signingKey = "var/keys/user-svc-jwt.pem";

    /** Development: create a key pair once into {@code signingKey} when the file is missing. */
    private boolean generateKeyIfMissing = false;

    /** PEM files of keys still accepted after a rotation (published in the JWKS, never used to sign). */
    @NotNull
    private List<String> verificationKeys = List.of();

    /** bcrypt cost: 4 (tests) to 16; each step doubles the work of a login and of a guess. */
    @Min(4)
    @Max(16)
    private int passwordHashCost = 10;

    @Valid
    @NotNull
    private Throttle loginThrottle = new Throttle();

    public static class Throttle {
        @Min(1)
        private int maxFailures = 5;
        @NotNull
        private Duration lockout = Duration.seconds(30);
        @NotNull
        private Duration maxLockout = Duration.minutes(15);

        @JsonProperty
        public int getMaxFailures() {
            return maxFailures;
        }

        @JsonProperty
        public void setMaxFailures(int maxFailures) {
            this.maxFailures = maxFailures;
        }

        @JsonProperty
        public Duration getLockout() {
            return lockout;
        }

        @JsonProperty
        public void setLockout(Duration lockout) {
            this.lockout = lockout;
        }

        @JsonProperty
        public Duration getMaxLockout() {
            return maxLockout;
        }

        @JsonProperty
        public void setMaxLockout(Duration maxLockout) {
            this.maxLockout = maxLockout;
        }
    }

    /** What the app needs to authenticate: keys, issuer, hasher, throttle. */
    public record Auth(SigningKeys keys, TokenIssuer tokens, PasswordHasher passwords, LoginThrottle throttle) {
    }

    public Auth build(Clock clock) {
        Path keyFile = Path.of(signingKey);
        KeyPair pair;
        if (Files.exists(keyFile)) {
            pair = PemKeys.readPrivate(keyFile);
        } else if (generateKeyIfMissing) {
            pair = PemKeys.generateIfAbsent(keyFile);
        } else {
            throw new IllegalStateException("auth.signingKey " + keyFile.toAbsolutePath() + " does not exist (set "
                    + "auth.generateKeyIfMissing: true to create one in development)");
        }
        List<RSAPublicKey> accepted = verificationKeys.stream().map(f -> PemKeys.readPublic(Path.of(f))).toList();
        SigningKeys keys = new SigningKeys(pair, accepted);
        TokenIssuer tokens = new TokenIssuer(keys, issuer, java.time.Duration.ofMillis(tokenTtl.toMilliseconds()), clock);
        LoginThrottle throttle = new LoginThrottle(loginThrottle.maxFailures,
                java.time.Duration.ofMillis(loginThrottle.lockout.toMilliseconds()),
                java.time.Duration.ofMillis(loginThrottle.maxLockout.toMilliseconds()), clock);
        return new Auth(keys, tokens, new PasswordHasher(passwordHashCost), throttle);
    }

    @JsonProperty
    public String getIssuer() {
        return issuer;
    }

    @JsonProperty
    public void setIssuer(String issuer) {
        this.issuer = issuer;
    }

    @JsonProperty
    public Duration getTokenTtl() {
        return tokenTtl;
    }

    @JsonProperty
    public void setTokenTtl(Duration tokenTtl) {
        this.tokenTtl = tokenTtl;
    }

    @JsonProperty
    public String getSigningKey() {
        return signingKey;
    }

    @JsonProperty
    public void setSigningKey(String signingKey) {
        this.signingKey = signingKey;
    }

    @JsonProperty
    public boolean isGenerateKeyIfMissing() {
        return generateKeyIfMissing;
    }

    @JsonProperty
    public void setGenerateKeyIfMissing(boolean generateKeyIfMissing) {
        this.generateKeyIfMissing = generateKeyIfMissing;
    }

    @JsonProperty
    public List<String> getVerificationKeys() {
        return verificationKeys;
    }

    @JsonProperty
    public void setVerificationKeys(List<String> verificationKeys) {
        this.verificationKeys = verificationKeys;
    }

    @JsonProperty
    public int getPasswordHashCost() {
        return passwordHashCost;
    }

    @JsonProperty
    public void setPasswordHashCost(int passwordHashCost) {
        this.passwordHashCost = passwordHashCost;
    }

    @JsonProperty
    public Throttle getLoginThrottle() {
        return loginThrottle;
    }

    @JsonProperty
    public void setLoginThrottle(Throttle loginThrottle) {
        this.loginThrottle = loginThrottle;
    }
}
