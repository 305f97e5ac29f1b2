package dev.wizmesh.user.api;

/** Regular expressions shared by the request records. */
final class Patterns {
    static final String UUID = "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
    static final String ROLE = "^(admin|user)$";
    static final String SETTABLE_STATUS = "^(ACTIVE|DISABLED)$";

    private Patterns() {
    }
}
