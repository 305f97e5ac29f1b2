package dev.wizmesh.cron.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.wizmesh.cron.core.Exclusivity;
import dev.wizmesh.cron.core.JobSpec;
import dev.wizmesh.cron.core.MisfirePolicy;
import io.dropwizard.validation.ValidationMethod;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Map;

/**
 * The body of {@code POST /api/v1/jobs} and {@code PUT /api/v1/jobs/{name}}. The cron expression and
 * the type's parameters are checked by the catalogue (422 with the parser's or the type's reason).
 */
public record JobRequest(
        @Pattern(regexp = NAME, message = "must be 1-100 characters: lower-case letters, digits, '.', '_' or '-', starting with a letter or digit")
        String name,
        @NotBlank String type,
        @NotBlank @Size(max = 120) String cron,
        String timeZone,
        Map<String, Object> params,
        MisfirePolicy misfirePolicy,
        @Min(1) @Max(1000) Integer catchUpLimit,
        Boolean enabled,
        @Min(1) @Max(10) Integer maxAttempts,
        @Min(0) @Max(3600) Integer retryDelaySeconds,
        Exclusivity exclusive,
        @Size(max = 250) String description) {

    public static final String NAME = "[a-z0-9][a-z0-9._-]{0,99}";

    @JsonIgnore
    @ValidationMethod(message = "timeZone must be an IANA time zone id such as UTC or Europe/Paris")
    public boolean isTimeZoneValid() {
        if (timeZone == null) {
            return true;
        }
        try {
            ZoneId.of(timeZone);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    /** The definition, with defaults for what the request left out; {@code pathName} wins for a PUT. */
    public JobSpec toSpec(String pathName) {
        return new JobSpec(pathName != null ? pathName : name, type, cron.strip(), timeZone == null ? "UTC" : ZoneId.of(timeZone).getId(),
                params, misfirePolicy == null ? MisfirePolicy.FIRE_ONCE_NOW : misfirePolicy,
                catchUpLimit == null ? 10 : catchUpLimit, enabled == null || enabled, maxAttempts == null ? 1 : maxAttempts,
                retryDelaySeconds == null ? 0 : retryDelaySeconds, exclusive == null ? Exclusivity.NONE : exclusive, description);
    }
}
