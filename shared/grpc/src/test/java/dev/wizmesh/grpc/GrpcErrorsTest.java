package dev.wizmesh.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Any;
import com.google.rpc.ErrorInfo;
import dev.wizmesh.grpc.errors.GrpcErrors;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The error mapping both ways, without the wire (the ITs send it over a socket). */
class GrpcErrorsTest {
    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void everyCodeMapsToItsStatusAndBack(ErrorCode code) {
        StatusRuntimeException wire = GrpcErrors.toStatusException(new ApiException(code, Map.of("service", "x", "n", 3)));

        assertThat(wire.getStatus().getCode().value()).isEqualTo(code.rpcStatus().value());
        assertThat(wire.getStatus().getCode().name()).isEqualTo(code.rpcStatus().name());
        ApiException back = GrpcErrors.toApiException(wire, "y");
        assertThat(back.code()).isEqualTo(code);
        assertThat(back.details()).isEqualTo(Map.of("service", "x", "n", "3"));
    }

    @Test
    void unavailableWithoutErrorInfoIsUpstreamUnavailable() {
        ApiException e = GrpcErrors.toApiException(Status.UNAVAILABLE.withDescription("io exception").asRuntimeException(), "product-svc");
        assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
        assertThat(e.details()).isEqualTo(Map.of("service", "product-svc"));
        assertThat(e.getMessage()).doesNotContain("io exception");
    }

    @Test
    void deadlineExceededIsUpstreamTimeout() {
        ApiException e = GrpcErrors.toApiException(Status.DEADLINE_EXCEEDED.asRuntimeException(), "user-svc");
        assertThat(e.code()).isEqualTo(ErrorCode.UPSTREAM_TIMEOUT);
        assertThat(e.code().httpStatus()).isEqualTo(504);
    }

    @Test
    void anythingElseWithoutErrorInfoIsInternalNamingTheService() {
        ApiException e = GrpcErrors.toApiException(Status.UNIMPLEMENTED.asRuntimeException(), "user-svc");
        assertThat(e.code()).isEqualTo(ErrorCode.INTERNAL);
        assertThat(e.details()).containsEntry("service", "user-svc").containsEntry("grpcStatus", "UNIMPLEMENTED");
    }

    @Test
    void anUnknownReasonOrAnotherDomainFallsBackToTheStatus() {
        for (ErrorInfo info : new ErrorInfo[] {
                ErrorInfo.newBuilder().setDomain("wizmesh").setReason("FROM_A_NEWER_PEER").build(),
                ErrorInfo.newBuilder().setDomain("googleapis.com").setReason("PRODUCT_NOT_FOUND").build()}) {
            StatusRuntimeException wire = StatusProto.toStatusRuntimeException(com.google.rpc.Status.newBuilder()
                    .setCode(Status.Code.UNAVAILABLE.value()).addDetails(Any.pack(info)).build());
            assertThat(GrpcErrors.toApiException(wire, "s").code()).isEqualTo(ErrorCode.UPSTREAM_UNAVAILABLE);
        }
    }
}
