package dev.wizmesh.order.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.order.messages.QueuePublisher;
import dev.wizmesh.persistence.tenancy.TenantTransactions;
import dev.wizmesh.platform.context.CallerChecks.Admin;
import dev.wizmesh.platform.context.RequestContext;
import dev.wizmesh.platform.errors.ApiException;
import dev.wizmesh.platform.errors.ErrorCode;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code POST /api/v1/messages}: an admin publishes a message to one of the configured queues
 * ({@code messages.queues}), with a publisher confirm. 202 {@code {"messageId":...}} once the broker has it;
 * 403 QUEUE_NOT_ALLOWED for another queue; 503 MESSAGING_UNAVAILABLE when the broker is down or does not confirm.
 */
@Path("/api/v1/messages")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MessageResource {
    /** Larger messages belong in storage, with a reference in the message. */
    static final int MAX_MESSAGE_BYTES = 64 * 1024;

    private final QueuePublisher publisher;
    private final ObjectMapper json;

    public MessageResource(QueuePublisher publisher, ObjectMapper json) {
        this.publisher = publisher;
        this.json = json;
    }

    @POST
    @Admin
    public Response publish(@Valid @NotNull PublishMessageRequest request) {
        if (request.message() == null || request.message().isNull() || request.message().isMissingNode()) {
            throw invalid("message", "must not be null");
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(request.message());
        } catch (JsonProcessingException e) {
            throw invalid("message", "cannot be written as JSON");
        }
        if (body.length > MAX_MESSAGE_BYTES) {
            throw invalid("message", "must be at most " + MAX_MESSAGE_BYTES + " bytes of JSON, was " + body.length);
        }
        UUID tenant = TenantTransactions.currentTenant();
        UUID id = publisher.publish(request.queue(), body, tenant, RequestContext.requireUserId());
        return Response.accepted(Map.of("messageId", id.toString(), "queue", request.queue())).build();
    }

    private static ApiException invalid(String field, String message) {
        return new ApiException(ErrorCode.VALIDATION_FAILED,
                Map.of("count", 1, "fields", List.of(Map.of("field", field, "message", message))));
    }
}
