package dev.wizmesh.platform.tasks;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.wizmesh.platform.errors.ErrorCode;
import dev.wizmesh.platform.errors.ErrorResponses;
import io.dropwizard.core.setup.Environment;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.CharArrayWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;

/**
 * Gives admin tasks ({@code /tasks/*}) a 400 for bad input. Dropwizard's TaskServlet maps every exception to a
 * 500 and gives the task no handle on the response, so this filter sits in front of it:
 * <ol>
 *   <li>it buffers what the task writes (nothing reaches the client while the task runs, so the status can
 *       still change). The tasks here print little: a line of counts, or at most 1000 dead letters;</li>
 *   <li>an {@link AdminTask} that meets {@link BadTaskInputException} records it here (a thread-local that
 *       lives exactly as long as this request's filter call: TaskServlet runs the task on the request thread)
 *       and returns normally, so TaskServlet neither logs an error nor prints a stack trace;</li>
 *   <li>afterwards, a recorded rejection is answered 400 in the platform's error shape,
 *       {@code {"error":{"code":"BAD_REQUEST","message":"The request is not valid: <reason>",...}}}; anything
 *       else goes out as the task wrote it, with TaskServlet's status.</li>
 * </ol>
 * The platform bundle installs it in every app ({@link #install}, once per application).
 */
public final class TaskErrorFilter implements Filter {
    private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

    private final ObjectMapper mapper;

    public TaskErrorFilter(ObjectMapper mapper) {
        this.mapper = Objects.requireNonNull(mapper, "mapper");
    }

    /** Puts the filter in front of the admin port's {@code /tasks/*}; once per application. */
    public static void install(Environment environment) {
        FilterRegistration.Dynamic filter = environment.admin().addFilter("task-errors", new TaskErrorFilter(environment.getObjectMapper()));
        filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), true, "/tasks/*");
    }

    /** Records a task's bad input for the request this thread serves; false when no filter serves one. */
    static boolean reject(BadTaskInputException e) {
        Scope scope = CURRENT.get();
        if (scope == null) {
            return false;
        }
        scope.rejected = e;
        return true;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (!(response instanceof HttpServletResponse http)) {
            chain.doFilter(request, response);
            return;
        }
        Scope scope = new Scope();
        Buffered buffered = new Buffered(http);
        Scope outer = CURRENT.get();
        CURRENT.set(scope);
        try {
            chain.doFilter(request, buffered);
        } finally {
            if (outer == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(outer);
            }
        }
        if (scope.rejected != null) {
            http.reset();
            ErrorResponses.write(http, mapper, ErrorCode.BAD_REQUEST, Map.of("reason", scope.rejected.getMessage()));
            return;
        }
        buffered.flushTo(http);
    }

    private static final class Scope {
        private BadTaskInputException rejected;
    }

    /** Holds the task's text until it is known whether it goes out at all. */
    private static final class Buffered extends HttpServletResponseWrapper {
        private final CharArrayWriter text = new CharArrayWriter();
        private final PrintWriter writer = new PrintWriter(text);

        Buffered(HttpServletResponse response) {
            super(response);
        }

        @Override
        public PrintWriter getWriter() {
            return writer;
        }

        @Override
        public void reset() {
            super.reset();
            text.reset();
        }

        @Override
        public void resetBuffer() {
            super.resetBuffer();
            text.reset();
        }

        @Override
        public void flushBuffer() {
            // held until flushTo: flushing would commit the status
        }

        void flushTo(HttpServletResponse response) throws IOException {
            writer.flush();
            if (text.size() > 0) {
                PrintWriter out = response.getWriter();
                text.writeTo(out);
                out.flush();
            }
        }
    }
}
