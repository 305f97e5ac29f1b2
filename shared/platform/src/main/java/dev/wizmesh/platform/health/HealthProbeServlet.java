package dev.wizmesh.platform.health;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.errors.ErrorResponses;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;

/**
 * The probes on the admin port: {@code /health-check?type=alive|ready} (also
 * {@code /health/alive} and {@code /health/ready}): 200 when healthy, 503 when not, with each
 * check's outcome as JSON. Point a Kubernetes livenessProbe and readinessProbe here.
 */
public class HealthProbeServlet extends HttpServlet {
    private final transient HealthChecks checks;
    private final transient ObjectMapper mapper;

    public HealthProbeServlet(HealthChecks checks, ObjectMapper mapper) {
        this.checks = checks;
        this.mapper = mapper;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String type = req.getParameter("type");
        if (type == null && req.getServletPath().startsWith("/health/")) {
            type = req.getServletPath().substring("/health/".length());
        }
        Probe probe = switch (type == null ? "ready" : type.toLowerCase(Locale.ROOT)) {
            case "alive", "live", "liveness" -> Probe.LIVENESS;
            case "ready", "readiness" -> Probe.READINESS;
            default -> null;
        };
        resp.setContentType("application/json");
        resp.setHeader("Cache-Control", "no-store");
        if (probe == null) {
            ErrorResponses.write(resp, mapper, ErrorCode.BAD_REQUEST, Map.of("reason", "type must be alive or ready"));
            return;
        }
        HealthChecks.ProbeResult result = checks.run(probe);
        resp.setStatus(result.healthy() ? 200 : 503);
        mapper.writeValue(resp.getOutputStream(), result);
    }
}
