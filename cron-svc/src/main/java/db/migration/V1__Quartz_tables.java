package db.migration;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

/**
 * Quartz's JDBC JobStore tables (qrtz_job_details, qrtz_triggers, qrtz_fired_triggers,
 * qrtz_scheduler_state, qrtz_locks...), created from the script Quartz ships in its own jar
 * ({@code org/quartz/impl/jdbcjobstore/tables_postgres.sql}): the schema is Quartz's contract, so it
 * comes from the Quartz version on the classpath rather than from a copy that could drift from it.
 * The script's {@code DROP TABLE}s and its {@code COMMIT} are left out: Flyway runs this once, in
 * its own transaction, on a schema that has no Quartz tables yet.
 */
public class V1__Quartz_tables extends BaseJavaMigration {
    static final String SCRIPT = "org/quartz/impl/jdbcjobstore/tables_postgres.sql";

    @Override
    public void migrate(Context context) throws Exception {
        try (Statement statement = context.getConnection().createStatement()) {
            for (String sql : statements(script())) {
                statement.execute(sql);
            }
        }
    }

    static String script() throws IOException {
        try (InputStream in = V1__Quartz_tables.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is not on the classpath: is the Quartz jar missing?");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The script's CREATE statements, comments dropped, split on ';' (the script has no ';' inside a statement). */
    static List<String> statements(String script) {
        StringBuilder code = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--")) {
                code.append(line).append('\n');
            }
        }
        List<String> out = new ArrayList<>();
        for (String sql : code.toString().split(";")) {
            String s = sql.strip();
            String head = s.toUpperCase(Locale.ROOT);
            if (!s.isEmpty() && !head.startsWith("DROP ") && !head.equals("COMMIT")) {
                out.add(s);
            }
        }
        return out;
    }
}
