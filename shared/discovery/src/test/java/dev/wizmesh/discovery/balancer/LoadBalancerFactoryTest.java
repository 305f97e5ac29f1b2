package dev.wizmesh.discovery.balancer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.util.Duration;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LoadBalancerFactoryTest {
    private final ObjectMapper yaml = Jackson.newObjectMapper(new YAMLFactory());
    private final Validator validator = Validators.newValidator();

    @ParameterizedTest
    @CsvSource({
            "round_robin, RoundRobinBalancer",
            "random, RandomBalancer",
            "weighted_round_robin, SmoothWeightedRoundRobinBalancer",
            "least_outstanding, LeastOutstandingBalancer",
            "peak_ewma, PeakEwmaBalancer"})
    void eachTypeBuildsItsBalancer(String type, String balancerClass) throws Exception {
        LoadBalancerFactory factory = parse("type: " + type);

        assertThat(validator.validate(factory)).isEmpty();
        assertThat(factory.build().getClass().getSimpleName()).isEqualTo(balancerClass);
    }

    @Test
    void readsTheDecay() throws Exception {
        LoadBalancerFactory factory = parse("{type: peak_ewma, decay: 2500ms}");

        assertThat(factory.getDecay()).isEqualTo(Duration.milliseconds(2500));
    }

    @Test
    void defaultsToRoundRobinWithATenSecondDecay() throws Exception {
        LoadBalancerFactory factory = parse("{}");

        assertThat(factory.getType()).isEqualTo(LoadBalancerFactory.Type.ROUND_ROBIN);
        assertThat(factory.getDecay()).isEqualTo(Duration.seconds(10));
    }

    @Test
    void refusesAZeroDecayAndAMissingType() throws Exception {
        Set<ConstraintViolation<LoadBalancerFactory>> violations = validator.validate(parse("{type: null, decay: 0s}"));

        assertThat(violations).extracting(violation -> violation.getPropertyPath().toString())
                .containsExactlyInAnyOrder("type", "decay");
    }

    @Test
    void refusesAnUnknownType() {
        assertThatThrownBy(() -> parse("type: weighted")).hasMessageContaining("weighted_round_robin");
    }

    @Test
    void buildsAFreshBalancerEachTime() throws Exception {
        LoadBalancerFactory factory = parse("type: least_outstanding");

        assertThat(factory.build()).isNotSameAs(factory.build());
    }

    private LoadBalancerFactory parse(String text) throws Exception {
        return yaml.readValue(text, LoadBalancerFactory.class);
    }
}
