package dev.wizmesh.discovery.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import io.dropwizard.util.Duration;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OutlierDetectorFactoryTest {
    private final ObjectMapper yaml = Jackson.newObjectMapper(new YAMLFactory());
    private final Validator validator = Validators.newValidator();

    @Test
    void readsEveryOption() throws Exception {
        OutlierDetectorFactory factory = parse("""
                consecutiveFailures: 3
                baseEjectionTime: 10s
                maxEjectionTime: 2m
                maxEjectionPercent: 30
                """);

        assertThat(validator.validate(factory)).isEmpty();
        assertThat(factory.getConsecutiveFailures()).isEqualTo(3);
        assertThat(factory.getBaseEjectionTime()).isEqualTo(Duration.seconds(10));
        assertThat(factory.getMaxEjectionTime()).isEqualTo(Duration.minutes(2));
        assertThat(factory.getMaxEjectionPercent()).isEqualTo(30);
        assertThat(factory.build()).isNotNull();
    }

    @Test
    void defaultsToEnvoysRulesButAHalfPoolCap() throws Exception {
        OutlierDetectorFactory factory = parse("{}");

        assertThat(factory.getConsecutiveFailures()).isEqualTo(5);
        assertThat(factory.getBaseEjectionTime()).isEqualTo(Duration.seconds(30));
        assertThat(factory.getMaxEjectionTime()).isEqualTo(Duration.minutes(5));
        assertThat(factory.getMaxEjectionPercent()).isEqualTo(50);
    }

    @Test
    void refusesOutOfRangeValues() throws Exception {
        Set<ConstraintViolation<OutlierDetectorFactory>> violations = validator.validate(parse("""
                consecutiveFailures: 0
                baseEjectionTime: 1m
                maxEjectionTime: 30s
                maxEjectionPercent: 101
                """));

        assertThat(violations).extracting(violation -> violation.getPropertyPath().toString())
                .containsExactlyInAnyOrder("consecutiveFailures", "maxEjectionPercent", "maxEjectionTimeAtLeastBase");
    }

    private OutlierDetectorFactory parse(String text) throws Exception {
        return yaml.readValue(text, OutlierDetectorFactory.class);
    }
}
