package dev.wizmesh.messaging.event;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;

/**
 * The envelope's wire format: UTF-8 JSON, times as ISO-8601 strings. One mapper of its own, so an app's
 * ObjectMapper settings never change what goes on the wire.
 */
public final class EventJson {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES); // newer publishers may add fields

    private EventJson() {
    }

    public static byte[] toBytes(Event event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.id() + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static String toJson(Event event) {
        try {
            return MAPPER.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("event " + event.id() + " cannot be written as JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** Reads an envelope; anything that is not one is a {@link MalformedEventException} saying why. */
    public static Event parse(byte[] body) {
        try {
            return MAPPER.readValue(body, Event.class);
        } catch (IOException | IllegalArgumentException | NullPointerException e) {
            // the record's constructor checks (missing id, bad type) surface wrapped by Jackson or as themselves
            Throwable cause = e.getCause() != null && !(e instanceof IllegalArgumentException) ? e.getCause() : e;
            throw new MalformedEventException("not a wizmesh event envelope: " + cause.getMessage(), e);
        }
    }

    /** Any value (a record, a map) as the envelope's {@code data}. */
    public static JsonNode toData(Object value) {
        try {
            return MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("event data cannot be written as JSON: " + e.getMessage(), e);
        }
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }
}
