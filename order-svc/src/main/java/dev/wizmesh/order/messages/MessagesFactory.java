package dev.wizmesh.order.messages;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.wizmesh.messaging.connection.AmqpConnection;
import dev.wizmesh.messaging.consumer.QueueNames;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code messages:} block of order-svc's YAML: the queues an admin may publish to with
 * {@code POST /api/v1/messages}; any other queue is refused (403 QUEUE_NOT_ALLOWED).
 *
 * <pre>{@code
 * messages:
 *   queues: [notifications, audit]
 * }</pre>
 */
public class MessagesFactory {
    @NotNull
    @Size(max = 100)
    private List<String> queues = new ArrayList<>(List.of("notifications", "audit"));

    public QueuePublisher build(AmqpConnection amqp, Duration confirmTimeout) {
        queues.forEach(QueueNames::requireValidQueue); // a bad name fails start-up, naming it
        return new QueuePublisher(amqp, queues, confirmTimeout);
    }

    @JsonProperty
    public List<String> getQueues() {
        return queues;
    }

    @JsonProperty
    public void setQueues(List<String> queues) {
        this.queues = queues == null ? new ArrayList<>() : new ArrayList<>(queues);
    }
}
