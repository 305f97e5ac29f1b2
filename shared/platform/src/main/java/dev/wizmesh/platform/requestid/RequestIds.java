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

    public static String generate() {
        return UUID.randomUUID().toString();
    }

    /** The incoming id when well-formed, otherwise a new one. */
    public static String acceptOrGenerate(String incoming) {
        return isWellFormed(incoming) ? incoming : generate();
    }
}
