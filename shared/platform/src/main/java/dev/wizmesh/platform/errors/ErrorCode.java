package dev.wizmesh.platform.errors;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one catalogue of error codes in wizmesh. Every error a client can see, over HTTP or gRPC,
 * has a code from here, so a code means the same thing on every service and both transports.
 *
 * <p>The message template names details in braces ({@code "Product {productId} was not found"});
 * {@link #message(Map)} fills them from the details the exception carries. Add a code here when
 * a service needs a new failure: never invent codes inline.
 */
public enum ErrorCode {
    // --- generic, raised by the platform itself ---
    BAD_REQUEST(400, RpcStatus.INVALID_ARGUMENT, "The request is not valid: {reason}"),
    MALFORMED_JSON(400, RpcStatus.INVALID_ARGUMENT, "The request body is not valid JSON for this endpoint: {reason}"),
    VALIDATION_FAILED(422, RpcStatus.INVALID_ARGUMENT, "The request has {count} invalid field(s)"),
    UNAUTHENTICATED(401, RpcStatus.UNAUTHENTICATED, "Authentication is required"),
    FORBIDDEN(403, RpcStatus.PERMISSION_DENIED, "You are not allowed to do this"),
    ROUTE_NOT_FOUND(404, RpcStatus.UNIMPLEMENTED, "No endpoint matches {method} {path}"),
    METHOD_NOT_ALLOWED(405, RpcStatus.UNIMPLEMENTED, "{method} is not allowed here; allowed: {allowed}"),
    NOT_ACCEPTABLE(406, RpcStatus.INVALID_ARGUMENT, "No acceptable representation for the Accept header"),
    CONFLICT(409, RpcStatus.ALREADY_EXISTS, "The request conflicts with the current state: {reason}"),
    REQUEST_TIMEOUT(408, RpcStatus.DEADLINE_EXCEEDED, "The request did not arrive in time: {reason}"),
    PAYLOAD_TOO_LARGE(413, RpcStatus.RESOURCE_EXHAUSTED, "The request body is too large"),
    UNSUPPORTED_MEDIA_TYPE(415, RpcStatus.INVALID_ARGUMENT, "Content type {contentType} is not supported here"),
    RATE_LIMITED(429, RpcStatus.RESOURCE_EXHAUSTED, "Too many requests; retry later"),
    INTERNAL(500, RpcStatus.INTERNAL, "An unexpected error occurred; quote the request id when reporting it"),
    DEPENDENCY_UNAVAILABLE(503, RpcStatus.UNAVAILABLE, "A dependency is unavailable: {dependency}"),
    SHUTTING_DOWN(503, RpcStatus.UNAVAILABLE, "The service is shutting down; retry on another instance"),
    TIMEOUT(504, RpcStatus.DEADLINE_EXCEEDED, "The operation timed out"),
    IDEMPOTENCY_KEY_REUSED(409, RpcStatus.ALREADY_EXISTS,
            "Idempotency-Key {idempotencyKey} was already used with a different request"),
    IDEMPOTENCY_KEY_REQUIRED(400, RpcStatus.INVALID_ARGUMENT, "This request needs an Idempotency-Key header"),

    // --- calls to other services (gRPC or HTTP) ---
    UPSTREAM_UNAVAILABLE(503, RpcStatus.UNAVAILABLE, "Service {service} is unavailable; retry later"),
    UPSTREAM_TIMEOUT(504, RpcStatus.DEADLINE_EXCEEDED, "Service {service} did not answer in time"),
    UPSTREAM_FAILED(502, RpcStatus.UNAVAILABLE, "Service {service} failed to answer"),

    // --- gateway ---
    NO_HEALTHY_INSTANCE(503, RpcStatus.UNAVAILABLE, "No healthy instance of {service} is available"),
    CIRCUIT_OPEN(503, RpcStatus.UNAVAILABLE, "Calls to {service} are paused after repeated failures; retry later"),
    HEADERS_TOO_LARGE(431, RpcStatus.INVALID_ARGUMENT, "The request headers are too large"),

    // --- registry ---
    INSTANCE_NOT_FOUND(404, RpcStatus.NOT_FOUND, "Instance {instanceId} of {service} is not registered"),

    // --- user-svc: tenants, users, auth, wallets ---
    SIGNUP_DISABLED(403, RpcStatus.PERMISSION_DENIED, "Public sign-up is switched off on this system"),
    TENANT_NOT_FOUND(404, RpcStatus.NOT_FOUND, "Tenant {tenantId} was not found"),
    USER_NOT_FOUND(404, RpcStatus.NOT_FOUND, "User {userId} was not found"),
    EMAIL_TAKEN(409, RpcStatus.ALREADY_EXISTS, "A user with email {email} already exists in this tenant"),
    INVALID_CREDENTIALS(401, RpcStatus.UNAUTHENTICATED, "The tenant, email or password is wrong"),
    TOO_MANY_LOGIN_ATTEMPTS(429, RpcStatus.RESOURCE_EXHAUSTED,
            "Too many failed logins for this account; retry in {retryAfterSeconds} s"),
    WALLET_NOT_FOUND(404, RpcStatus.NOT_FOUND, "User {userId} has no wallet"),
    INSUFFICIENT_FUNDS(409, RpcStatus.FAILED_PRECONDITION, "The wallet holds {balanceCents}, {amountCents} is needed"),

    // --- product-svc: catalogue and stock ---
    PRODUCT_NOT_FOUND(404, RpcStatus.NOT_FOUND, "Product {productId} was not found"),
    SKU_TAKEN(409, RpcStatus.ALREADY_EXISTS, "A product with SKU {sku} already exists in this tenant"),
    INSUFFICIENT_STOCK(409, RpcStatus.FAILED_PRECONDITION,
            "Product {productId} has {available} available, {requested} requested"),

    // --- order-svc ---
    ORDER_NOT_FOUND(404, RpcStatus.NOT_FOUND, "Order {orderId} was not found"),
    ORDER_NOT_CANCELLABLE(409, RpcStatus.FAILED_PRECONDITION,
            "Order {orderId} is {status}; only a PENDING order with no transaction running can be cancelled"),
    MIXED_CURRENCIES(422, RpcStatus.INVALID_ARGUMENT, "All items of an order must share one currency; found {currencies}"),

    // --- messaging (order-svc's POST /api/v1/messages) ---
    QUEUE_NOT_ALLOWED(403, RpcStatus.PERMISSION_DENIED, "Queue {queue} is not one this service publishes to; allowed: {allowed}"),
    MESSAGING_UNAVAILABLE(503, RpcStatus.UNAVAILABLE, "The message broker is unavailable: {reason}"),

    // --- transactions: the participant's fence (TCC Try/Confirm/Cancel, saga action/compensation) ---
    // ABORTED: the coordinator gave up on this branch; a Try must never be retried after its Cancel
    BRANCH_ALREADY_CANCELLED(409, RpcStatus.ABORTED, "Branch {branch} of transaction {xid} was already cancelled"),
    BRANCH_ALREADY_CONFIRMED(409, RpcStatus.FAILED_PRECONDITION, "Branch {branch} of transaction {xid} was already confirmed"),
    BRANCH_NOT_TRIED(409, RpcStatus.FAILED_PRECONDITION, "Branch {branch} of transaction {xid} was never tried"),
    // --- transactions: the coordinator's admin API ---
    TRANSACTION_NOT_FOUND(404, RpcStatus.NOT_FOUND, "Transaction {id} was not found"),
    TRANSACTION_NOT_STUCK(409, RpcStatus.FAILED_PRECONDITION,
            "Transaction {id} is {state}; only a FAILED_NEEDS_ATTENTION transaction can be retried or resolved"),
    // --- cron-svc: jobs ---
    JOB_NOT_FOUND(404, RpcStatus.NOT_FOUND, "Job {name} was not found"),
    JOB_ALREADY_EXISTS(409, RpcStatus.ALREADY_EXISTS, "A job named {name} already exists"),
    CRON_EXPRESSION_INVALID(422, RpcStatus.INVALID_ARGUMENT, "Cron expression '{cron}' is invalid: {reason}"),
    JOB_TYPE_UNKNOWN(422, RpcStatus.INVALID_ARGUMENT, "Job type '{type}' is not one of {types}"),
    JOB_PARAMS_INVALID(422, RpcStatus.INVALID_ARGUMENT, "Parameters of a {type} job are invalid: {reason}"),
    SCHEDULER_UNAVAILABLE(503, RpcStatus.UNAVAILABLE, "The scheduler cannot be reached: {reason}");

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z0-9_]+)}");

    private final int httpStatus;
    private final RpcStatus rpcStatus;
    private final String messageTemplate;

    ErrorCode(int httpStatus, RpcStatus rpcStatus, String messageTemplate) {
        this.httpStatus = httpStatus;
        this.rpcStatus = rpcStatus;
        this.messageTemplate = messageTemplate;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public RpcStatus rpcStatus() {
        return rpcStatus;
    }

    public String messageTemplate() {
        return messageTemplate;
    }

    /** The template with each {name} replaced by that detail; unknown names stay as they are. */
    public String message(Map<String, ?> details) {
        Matcher m = PLACEHOLDER.matcher(messageTemplate);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            Object value = details == null ? null : details.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : String.valueOf(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** The code for a bare HTTP status, for errors raised below our resources (Jersey, Jetty). */
    public static ErrorCode forHttpStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHENTICATED;
            case 403 -> FORBIDDEN;
            case 404 -> ROUTE_NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 408 -> REQUEST_TIMEOUT;
            case 409 -> CONFLICT;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 422 -> VALIDATION_FAILED;
            case 429 -> RATE_LIMITED;
            case 431 -> HEADERS_TOO_LARGE;
            case 502 -> UPSTREAM_FAILED;
            case 503 -> DEPENDENCY_UNAVAILABLE;
            case 504 -> TIMEOUT;
            default -> status >= 500 ? INTERNAL : BAD_REQUEST;
        };
    }
}
