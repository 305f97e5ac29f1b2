package dev.wizmesh.messaging.deadletter;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.messaging.connection.AmqpUnavailableException;
import dev.wizmesh.platform.tasks.AdminTask;
import dev.wizmesh.platform.tasks.BadTaskInputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The admin tasks over the dead-letter queues of this app's consumers:
 *
 * <pre>
 * curl -X POST 'http://127.0.0.1:8131/tasks/dlq-peek?queue=order-svc.payments&amp;max=10'
 * curl -X POST 'http://127.0.0.1:8131/tasks/dlq-replay?queue=order-svc.payments&amp;max=100'
 * </pre>
 *
 * Only the app's own queues are accepted (the ones given here), so a typo cannot drain some other service's
 * queue. Peek prints one JSON object per message; replay prints how many it moved. A queue not in that list, or a
 * {@code max} that is not 1 to 1000, is a 400 {@code BAD_REQUEST} naming the problem (with
 * {@link dev.wizmesh.platform.tasks.TaskErrorFilter} installed); a broker that is not reachable stays a 500.
 */
public final class DeadLetterTask extends AdminTask {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final DeadLetters deadLetters;
    private final Set<String> queues;
    private final boolean replay;

    private DeadLetterTask(String name, DeadLetters deadLetters, Set<String> queues, boolean replay) {
        super(name);
        this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
        this.queues = new TreeSet<>(queues);
        this.replay = replay;
    }

    /** {@code POST /tasks/dlq-peek?queue=...&max=...} */
    public static DeadLetterTask peek(DeadLetters deadLetters, Set<String> queues) {
        return new DeadLetterTask("dlq-peek", deadLetters, queues, false);
    }

    /** {@code POST /tasks/dlq-replay?queue=...&max=...} */
    public static DeadLetterTask replay(DeadLetters deadLetters, Set<String> queues) {
        return new DeadLetterTask("dlq-replay", deadLetters, queues, true);
    }

    @Override
    protected void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        String queue = single(parameters, "queue");
        if (queue == null || !queues.contains(queue)) {
            throw new BadTaskInputException("queue must be one of this app's consumer queues " + queues + "; got "
                    + (queue == null ? "none" : "'" + queue + "'"));
        }
        int max = max(single(parameters, "max"));
        try {
            if (replay) {
                int moved = deadLetters.replay(queue, max);
                output.println("replayed " + moved + " message(s) from " + queue + ".dlq to " + queue);
            } else {
                List<DeadLetter> letters = deadLetters.peek(queue, max);
                for (DeadLetter letter : letters) {
                    output.println(JSON.writeValueAsString(letter));
                }
                output.println(letters.size() + " message(s) shown from " + queue + ".dlq (left in place)");
            }
        } catch (AmqpUnavailableException | IOException e) {
            throw new IllegalStateException("the broker is not reachable: " + e.getMessage(), e);
        }
    }

    private static int max(String value) {
        if (value == null) {
            return 10;
        }
        try {
            int max = Integer.parseInt(value.trim());
            if (max >= 1 && max <= DeadLetters.MAX_BATCH) {
                return max;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadTaskInputException("max must be a number from 1 to " + DeadLetters.MAX_BATCH + "; got '" + value + "'");
    }
}
