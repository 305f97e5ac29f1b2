package dev.wizmesh.platform.requestid;

import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What a request id may look like. A client may send its own (so it can find its request in our
 * logs), but only a short, printable token: anything longer or with other characters could
 * forge log lines or blow up log storage, so it is replaced by a fresh one.
 */
public final class RequestIds {
    public static final String HEADER = "X-Request-ID";
    public static final int MAX_LENGTH = 128;
    private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:\\-]{1," + MAX_LENGTH + "}");

    private RequestIds() {
    }

    public static boolean isWellFormed(String candidate) {
        return candidate != null && WELL_FORMED.matcher(candidate).matches();
    }

    /**
     * A random version-4 UUID from {@link java.util.concurrent.ThreadLocalRandom}: a request id
     * must be unique, not unguessable, and {@code UUID.randomUUID()} draws from one shared
     * {@code SecureRandom} whose lock every request thread queues on under load.
     */
    public static String generate() {
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        long most = (random.nextLong() & ~0xF000L) | 0x4000L;                      // version 4
        long least = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L; // IETF variant
        return new UUID(most, least).toString();
    }

    /** The incoming id when well-formed, otherwise a new one. */
    public static String acceptOrGenerate(String incoming) {
        return isWellFormed(incoming) ? incoming : generate();
    }
}
