package dev.wizmesh.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.dropwizard.testing.DropwizardTestSupport;
import io.dropwizard.testing.ResourceHelpers;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;

/** ${VAR:-default} substitution, and a missing required variable failing start-up by name. */
class ConfigurationSubstitutionTest {

    @Test
    void missingVariableFailsStartupNamingIt() {
        DropwizardTestSupport<ServiceConfiguration> support = new DropwizardTestSupport<>(
                PlatformTestApp.class, ResourceHelpers.resourceFilePath("missing-env.yml"));
        ThrowableAssert.ThrowingCallable start = support::before;
        assertThatThrownBy(start).satisfies(e -> {
            StringBuilder messages = new StringBuilder();
            for (Throwable t = e; t != null; t = t.getCause()) {
                messages.append(t.getMessage()).append('\n');
            }
            assertThat(messages.toString()).contains("WIZMESH_SURELY_UNDEFINED_PORT");
        });
        support.after();
    }
}
