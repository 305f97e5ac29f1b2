package dev.wizmesh.gateway.proxy;

import java.util.Locale;

/** Header names compared the way a lenient server behind us might read them. */
final class HeaderNames {
    private HeaderNames() {
    }

    /**
     * Lower case with underscores read as dashes: {@code X_Tenant_Id} and {@code x-tenant-id}
     * are the same header to this method, as they are to servers that map headers to
     * environment-style names (CGI, WSGI, some frameworks' lookups).
     */
    static String canonical(String name) {
        return name.trim().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
