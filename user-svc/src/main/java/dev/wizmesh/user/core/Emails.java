package dev.wizmesh.user.core;

import java.util.Locale;

/** One account per address, however it is typed: addresses are kept trimmed and lower-cased. */
public final class Emails {
    private Emails() {
    }

    public static String normalize(String email) {
        return email.strip().toLowerCase(Locale.ROOT);
    }
}
