package dev.wizmesh.testing;

import java.util.UUID;

/** Names for per-class test resources that cannot clash with another class or another run on the same server. */
public final class UniqueNames {

    private UniqueNames() {
    }

    /** {@code wizmesh_test_} and 16 random hex digits: a valid unquoted SQL identifier and a readable key prefix. */
    public static String next() {
        return "wizmesh_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
    }
}
