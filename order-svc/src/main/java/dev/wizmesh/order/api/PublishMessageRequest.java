package dev.wizmesh.order.api;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/**
 * {@code POST /api/v1/messages}: {@code {"queue":"notifications","message":<any JSON but null>}}. The message is
 * published as the JSON it is.
 */
public record PublishMessageRequest(@NotBlank @Size(max = 200) String queue, JsonNode message) {
}
