package dev.wizmesh.testing;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives each test class a fresh, empty database on the shared {@link PostgresServer}, dropped after the class.
 *
 * <p>Use {@code @ExtendWith(PostgresExtension.class)} and take a {@link PostgresDatabase} (or the
 * {@link PostgresServer}, to create more databases) as a parameter of a test, a lifecycle method or a
 * constructor; or register it with {@code @RegisterExtension static PostgresExtension POSTGRES = new PostgresExtension();}
 * and call {@link #database()}. {@code @Nested} classes share their enclosing class's database.
 */
public final class PostgresExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(PostgresExtension.class);

    private volatile PostgresDatabase current;

    /** The shared server, for code that needs it outside a test class's lifecycle (e.g. config overrides). */
    public static PostgresServer sharedServer() {
        return PostgresServer.shared();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        // Looks up the enclosing classes' stores too, which is how @Nested classes reuse the outer database.
        current = context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(ClassDatabase.class, key -> ClassDatabase.create(), ClassDatabase.class)
                .database();
    }

    /** The current test class's database; valid from {@code beforeAll} on when registered as a static field. */
    public PostgresDatabase database() {
        if (current == null) {
            throw new IllegalStateException("no database yet: register PostgresExtension on a static field, "
                    + "or take PostgresDatabase as a parameter");
        }
        return current;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == PostgresDatabase.class || type == PostgresServer.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getParameter().getType() == PostgresServer.class) {
            return PostgresServer.shared();
        }
        ClassDatabase classDatabase = context.getStore(NAMESPACE).get(ClassDatabase.class, ClassDatabase.class);
        if (classDatabase == null) {
            throw new IllegalStateException("PostgresExtension must be registered on the test class "
                    + "(not on a method) to hand out a PostgresDatabase");
        }
        return classDatabase.database();
    }

    /** Stored in the class's extension store, which closes it (dropping the database) when the class is done. */
    private record ClassDatabase(PostgresServer server, PostgresDatabase database) implements AutoCloseable {

        static ClassDatabase create() {
            PostgresServer server = PostgresServer.shared();
            return new ClassDatabase(server, server.createDatabase(UniqueNames.next()));
        }

        @Override
        public void close() {
            server.dropDatabase(database.databaseName());
        }
    }
}
