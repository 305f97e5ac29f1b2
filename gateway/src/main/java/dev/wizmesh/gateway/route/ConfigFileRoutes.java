package dev.wizmesh.gateway.route;

import io.dropwizard.configuration.ConfigurationSourceProvider;
import io.dropwizard.configuration.YamlConfigurationFactory;
import io.dropwizard.core.Configuration;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.validation.Validator;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/**
 * Reads the routes again from the configuration file the gateway started with, for a reload.
 *
 * <p>Dropwizard does not keep the file's path, so {@link Remembering} wraps the bootstrap's
 * source provider and notes the path it is asked to open at start-up. A reload then parses the
 * whole file again the way start-up did (environment substitution, YAML, Bean Validation) and
 * takes its {@code routes:}. Everything else in the file is ignored until the next restart.
 */
public final class ConfigFileRoutes<T extends Configuration> {
    private final Remembering source;
    private final Class<T> configurationClass;
    private final ObjectMapper mapper;
    private final Validator validator;
    private final Function<T, RoutesFactory> routesOf;

    public ConfigFileRoutes(Remembering source, Class<T> configurationClass, ObjectMapper mapper, Validator validator,
                            Function<T, RoutesFactory> routesOf) {
        this.source = source;
        this.configurationClass = configurationClass;
        this.mapper = mapper;
        this.validator = validator;
        this.routesOf = routesOf;
    }

    /**
     * @throws IllegalStateException when the gateway was not started from a file
     * @throws Exception             from Dropwizard, naming what in the file is wrong
     */
    public RoutesFactory read() throws Exception {
        String path = source.lastPath();
        if (path == null) {
            throw new IllegalStateException("the gateway was not started from a configuration file; nothing to reload");
        }
        T configuration = new YamlConfigurationFactory<>(configurationClass, validator, mapper, "dw").build(source, path);
        return routesOf.apply(configuration);
    }

    public String path() {
        return source.lastPath();
    }

    /** A source provider that remembers the last path it opened. */
    public static final class Remembering implements ConfigurationSourceProvider {
        private final ConfigurationSourceProvider delegate;
        private volatile String lastPath;

        public Remembering(ConfigurationSourceProvider delegate) {
            this.delegate = delegate;
        }

        @Override
        public InputStream open(String path) throws IOException {
            InputStream in = delegate.open(path);
            lastPath = path;
            return in;
        }

        public String lastPath() {
            return lastPath;
        }
    }
}
