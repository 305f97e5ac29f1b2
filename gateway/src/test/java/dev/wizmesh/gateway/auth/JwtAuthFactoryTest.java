package dev.wizmesh.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.util.Duration;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code auth:} block as YAML: defaults, every field, and what {@code check} refuses. */
class JwtAuthFactoryTest {
    private final ObjectMapper mapper = Jackson.newObjectMapper();
    private final YamlConfigurationFactory<JwtAuthFactory> yaml =
            new YamlConfigurationFactory<>(JwtAuthFactory.class, Validators.newValidator(), mapper, "auth");

    private JwtAuthFactory parse(String text) throws Exception {
        return yaml.build(path -> new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), "gateway.yml");
    }

    private String refusal(String text) {
        try {
            parse(text);
            return null;
        } catch (ConfigurationValidationException e) {
            return e.getMessage();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void defaults() throws Exception {
        JwtAuthFactory auth = parse("{}");
        assertThat(auth.getIssuer()).isEqualTo("wizmesh");
        assertThat(auth.getAudience()).isNull();
        assertThat(auth.getAlgorithms()).containsExactly("RS256");
        assertThat(auth.getClockSkew()).isEqualTo(Duration.seconds(30));
        assertThat(auth.getRequiredClaims()).containsExactly("sub", "tid", "exp");
        assertThat(auth.getJwks().getService()).isEqualTo("user-svc");
        assertThat(auth.getJwks().getPath()).isEqualTo("/.well-known/jwks.json");
        assertThat(auth.getJwks().getUrl()).isNull();
        assertThat(auth.getJwks().getRefreshInterval()).isEqualTo(Duration.minutes(5));
        assertThat(auth.getJwks().getMinRefreshInterval()).isEqualTo(Duration.seconds(10));
        assertThat(auth.getJwks().getTimeout()).isEqualTo(Duration.seconds(2));
    }

    @Test
    void everyField() throws Exception {
        JwtAuthFactory auth = parse("""
                issuer: example
                audience: api
                algorithms: [RS256, HS256]
                hmacSecret: 0123456789abcdef0123456789abcdef
                clockSkew: 5s
                requiredClaims: [sub, exp]
                jwks:
                  service: auth-svc
                  path: /keys
                  url: http://keys.example:8080/jwks.json
                  refreshInterval: 1m
                  minRefreshInterval: 2s
                  timeout: 500ms
                """);
        assertThat(auth.getIssuer()).isEqualTo("example");
        assertThat(auth.getAudience()).isEqualTo("api");
        assertThat(auth.getAlgorithms()).containsExactly("RS256", "HS256");
        assertThat(auth.getHmacSecret()).isEqualTo("0123456789abcdef0123456789abcdef");
        assertThat(auth.getRequiredClaims()).containsExactly("sub", "exp");
        assertThat(auth.getJwks().getUrl()).isEqualTo("http://keys.example:8080/jwks.json");
        assertThat(auth.getJwks().getTimeout()).isEqualTo(Duration.milliseconds(500));
        assertThat(mapper.writeValueAsString(auth)).doesNotContain("0123456789abcdef").doesNotContain("hmacSecret");
    }

    @Test
    void inconsistentBlocksAreRefusedAtCheck() {
        assertThat(refusal("algorithms: [RS256, HS256]")).contains("needs hmacSecret");
        assertThat(refusal("hmacSecret: 0123456789abcdef0123456789abcdef")).contains("needs an HS algorithm");
        assertThat(refusal("{algorithms: [HS256], hmacSecret: short}")).contains("at least 32 bytes").doesNotContain("short\n");
        assertThat(refusal("{algorithms: [HS512], hmacSecret: 0123456789abcdef0123456789abcdef}")).contains("64 for HS512");
        assertThat(refusal("algorithms: [none]")).contains("algorithms may only name");
        assertThat(refusal("algorithms: []")).contains("algorithms");
        assertThat(refusal("jwks: {url: 'ftp://x/keys'}")).contains("jwks.url");
        assertThat(refusal("jwks: {timeout: 0s}")).contains("jwks.timeout");
        assertThat(refusal("requiredClaims: ['a b']")).contains("requiredClaims");
        assertThat(refusal("issuer: ''")).contains("issuer");
    }

    @Test
    void anEmptySecretFromTheEnvironmentMeansNone() throws Exception {
        JwtAuthFactory auth = parse("hmacSecret: ''");
        assertThat(auth.getHmacSecret()).isEmpty();
        assertThat(List.of(auth.isHmacSecretPresentForHmac(), auth.isHmacSecretLongEnough())).containsOnly(true);
    }
}
