package dev.wizmesh.testing;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands out the test Redis server: an embedded redis-server started on first use, or the server that
 * {@code WIZMESH_TEST_REDIS_URL} points at.
 *
 * <p>Use {@code @ExtendWith(RedisExtension.class)} and take a {@link RedisServerInfo} parameter, or register it
 * on a static field and call {@link #server()}. Each test class gets its own {@link RedisServerInfo#keyPrefix()};
 * {@code @Nested} classes share their enclosing class's prefix.
 */
public final class RedisExtension implements BeforeAllCallback, ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(RedisExtension.class);

    private static RedisServerInfo shared;

    private volatile RedisServerInfo current;

    /** The shared server, without a key prefix; starts the embedded server on first use. */
    public static synchronized RedisServerInfo sharedServer() {
        if (shared == null) {
            URI uri = ExternalServers.url(ExternalServers.REDIS_URL).map(URI::create)
                    .orElseGet(EmbeddedRedisLauncher::start);
            if (!List.of("redis", "rediss").contains(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException("expected redis[s]://[:password@]host[:port], got " + uri);
            }
            shared = new RedisServerInfo(uri.getHost(), uri.getPort() == -1 ? 6379 : uri.getPort(), uri, "");
        }
        return shared;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        current = classServer(context);
    }

    /** The shared server with the current test class's key prefix; valid from {@code beforeAll} on. */
    public RedisServerInfo server() {
        if (current == null) {
            throw new IllegalStateException("no test class yet: register RedisExtension on a static field, "
                    + "or take RedisServerInfo as a parameter");
        }
        return current;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == RedisServerInfo.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return classServer(context);
    }

    /** Looks up the enclosing classes' stores too, so all tests of a class (and its @Nested ones) share one prefix. */
    private static RedisServerInfo classServer(ExtensionContext context) {
        return context.getStore(NAMESPACE).getOrComputeIfAbsent(RedisServerInfo.class,
                key -> sharedServer().withKeyPrefix(UniqueNames.next() + ":"),
                RedisServerInfo.class);
    }
}
