package dev.wizmesh.gateway.resilience;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Admin {@code GET /circuit-breakers}: each upstream service's breaker state, as JSON. */
public final class CircuitBreakerServlet extends HttpServlet {
    private final transient CircuitBreakers breakers;
    private final transient ObjectMapper mapper;

    public CircuitBreakerServlet(CircuitBreakers breakers, ObjectMapper mapper) {
        this.breakers = breakers;
        this.mapper = mapper;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.setHeader("Cache-Control", "no-store");
        mapper.writeValue(response.getOutputStream(), java.util.Map.of("circuitBreakers", breakers.states()));
    }
}
