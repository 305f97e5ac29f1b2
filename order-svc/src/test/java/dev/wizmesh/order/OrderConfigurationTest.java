package dev.wizmesh.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.configuration.ConfigurationValidationException;
import io.dropwizard.configuration.EnvironmentVariableSubstitutor;
import io.dropwizard.configuration.FileConfigurationSourceProvider;
import io.dropwizard.configuration.SubstitutingSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.jackson.Jackson;
import io.dropwizard.jersey.validation.Validators;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** config/order-svc.yml as the app reads it: the amqp and messages blocks, and the outbox migration it cannot run without. */
class OrderConfigurationTest {
    private static OrderConfiguration read(String yaml) throws Exception {
        Path file = Files.createTempFile("order-svc", ".yml");
        Files.writeString(file, yaml);
        return new YamlConfigurationFactory<>(OrderConfiguration.class, Validators.newValidator(), Jackson.newObjectMapper(), "dw")
                .build(new SubstitutingSourceProvider(new FileConfigurationSourceProvider(), new EnvironmentVariableSubstitutor(false)),
                        file.toString());
    }

    private static String shipped() throws Exception {
        return Files.readString(Path.of("..", "config", "order-svc.yml"));
    }

    @Test
    void theShippedConfigHasTheBrokerTheOutboxAndTheAllowedQueues() throws Exception {
        OrderConfiguration config = read(shipped());
        assertThat(config.getAmqp().getUri()).startsWith("amqp://");
        assertThat(config.getDatabase().getModuleMigrations()).containsEntry("outbox", "classpath:db/modules/outbox");
        assertThat(config.getMessages().getQueues()).contains("notifications", "audit");
    }

    @Test
    void withoutTheOutboxMigrationTheStartFailsNamingIt() throws Exception {
        String yaml = shipped().replaceFirst("(?m)^    outbox: classpath:db/modules/outbox\n", "");
        assertThat(yaml).doesNotContain("db/modules/outbox");
        assertThatThrownBy(() -> read(yaml)).isInstanceOf(ConfigurationValidationException.class)
                .hasMessageContaining("database.moduleMigrations must include outbox: classpath:db/modules/outbox");
    }
}
