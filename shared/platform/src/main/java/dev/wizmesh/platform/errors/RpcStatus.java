package dev.wizmesh.platform.errors;

/**
 * The canonical gRPC status codes, with their wire numbers. Kept here rather than importing
 * io.grpc so that HTTP-only modules (the gateway) can use the catalogue without gRPC on the
 * classpath; the gRPC module maps these one to one onto {@code io.grpc.Status.Code}.
 */
public enum RpcStatus {
    OK(0), CANCELLED(1), UNKNOWN(2), INVALID_ARGUMENT(3), DEADLINE_EXCEEDED(4), NOT_FOUND(5),
    ALREADY_EXISTS(6), PERMISSION_DENIED(7), RESOURCE_EXHAUSTED(8), FAILED_PRECONDITION(9),
    ABORTED(10), OUT_OF_RANGE(11), UNIMPLEMENTED(12), INTERNAL(13), UNAVAILABLE(14),
    DATA_LOSS(15), UNAUTHENTICATED(16);

    private final int value;

    RpcStatus(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}
