package dev.wizmesh.gateway.ratelimit;

/**
 * The facts of a request a policy can key its buckets by ({@code keyBy: [ip, user, tenant,
 * route]}); null when unknown (an anonymous request has no user or tenant).
 */
public record RateLimitKey(String clientIp, String userId, String tenantId, String routeId) {
}
