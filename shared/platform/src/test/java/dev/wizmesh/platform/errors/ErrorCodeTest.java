package dev.wizmesh.platform.errors;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void fillsTheTemplateFromDetails() {
        assertThat(ErrorCode.ROUTE_NOT_FOUND.message(Map.of("method", "GET", "path", "/x")))
                .isEqualTo("No endpoint matches GET /x");
    }

    @Test
    void leavesUnknownPlaceholdersAndSurvivesRegexCharacters() {
        assertThat(ErrorCode.CONFLICT.message(Map.of())).isEqualTo("The request conflicts with the current state: {reason}");
        assertThat(ErrorCode.CONFLICT.message(Map.of("reason", "$1 \\ {x}"))).endsWith(": $1 \\ {x}");
    }

    @Test
    void everyCodeMapsToAnErrorStatusOnBothTransports() {
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(code.httpStatus()).as(code.name()).isBetween(400, 599);
            assertThat(code.rpcStatus()).as(code.name()).isNotEqualTo(RpcStatus.OK);
        }
    }

    @Test
    void bareHttpStatusesFindTheirCode() {
        assertThat(ErrorCode.forHttpStatus(404)).isEqualTo(ErrorCode.ROUTE_NOT_FOUND);
        assertThat(ErrorCode.forHttpStatus(418)).isEqualTo(ErrorCode.BAD_REQUEST);
        assertThat(ErrorCode.forHttpStatus(501)).isEqualTo(ErrorCode.INTERNAL);
        assertThat(ErrorCode.forHttpStatus(502)).isEqualTo(ErrorCode.UPSTREAM_FAILED);
        assertThat(ErrorCode.forHttpStatus(431)).isEqualTo(ErrorCode.HEADERS_TOO_LARGE);
        for (ErrorCode code : ErrorCode.values()) {
            ErrorCode back = ErrorCode.forHttpStatus(code.httpStatus());
            assertThat(back.httpStatus()).as(code.name()).isEqualTo(code.httpStatus());
        }
    }
}
