package dev.wizmesh.messaging.consumer;

import java.util.regex.Pattern;

/** What a consumer's queue may be called, and where its dead letters go ({@code <queue>.dlq}). */
public final class QueueNames {
    private static final Pattern QUEUE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");
    private static final Pattern BINDING = Pattern.compile("[a-z0-9_*#-]+(\\.[a-z0-9_*#-]+)*");
    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    private QueueNames() {
    }

    public static String requireValidQueue(String queue) {
        if (queue == null || !QUEUE.matcher(queue).matches() || queue.startsWith("amq.") || queue.endsWith(DEAD_LETTER_SUFFIX)) {
            throw new IllegalArgumentException("queue name must be 1 to 200 letters, digits, '.', '_', ':' or '-', "
                    + "start with a letter or digit, not start with 'amq.' and not end with '.dlq'; got "
                    + (queue == null ? "null" : "'" + queue + "'"));
        }
        return queue;
    }

    public static String requireValidBinding(String key) {
        if (key == null || key.length() > 200 || !BINDING.matcher(key).matches()) {
            throw new IllegalArgumentException("binding key must be an event type or a topic pattern such as 'order.*' or "
                    + "'order.#'; got " + (key == null ? "null" : "'" + key + "'"));
        }
        return key;
    }

    public static String deadLetterQueue(String queue) {
        return requireValidQueue(queue) + DEAD_LETTER_SUFFIX;
    }
}
