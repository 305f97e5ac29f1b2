package dev.wizmesh.gateway.route;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /tasks/reload-routes} on the admin port: reads the routes from the gateway's
 * configuration file again, checks them all, and swaps the new table in at once. A file that
 * does not parse, or a route that does not check, changes nothing: the gateway keeps its
 * current routes and the answer (HTTP 500 from Dropwizard's task servlet) says why.
 *
 * <pre>curl -X POST localhost:8081/tasks/reload-routes</pre>
 */
public class RouteReloadTask extends Task {
    private static final Logger LOG = LoggerFactory.getLogger(RouteReloadTask.class);

    /** Reads the {@code routes:} list again; throws naming what is wrong. */
    @FunctionalInterface
    public interface Source {
        RoutesFactory read() throws Exception;
    }

    /** Compiles and checks a list into a table; throws naming the route that is wrong. */
    @FunctionalInterface
    public interface Builder {
        RouteTable build(RoutesFactory routes);
    }

    private final Source source;
    private final Builder builder;
    private final LiveRoutes live;

    public RouteReloadTask(Source source, Builder builder, LiveRoutes live) {
        super("reload-routes");
        this.source = source;
        this.builder = builder;
        this.live = live;
    }

    @Override
    public void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        RouteTable table;
        try {
            table = builder.build(source.read());
        } catch (Exception e) {
            LOG.warn("route reload refused, keeping the {} current routes: {}", live.current().size(), e.getMessage());
            throw new IllegalArgumentException("routes not reloaded, the " + live.current().size()
                    + " current routes stay: " + e.getMessage(), e);
        }
        int before = live.current().size();
        live.replace(table);
        LOG.info("routes reloaded: {} routes (were {})", table.size(), before);
        output.println("reloaded " + table.size() + " routes (were " + before + ")");
        for (Route route : table.routes()) {
            output.println("  " + route);
        }
    }
}
