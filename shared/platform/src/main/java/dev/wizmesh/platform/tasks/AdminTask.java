package dev.wizmesh.platform.tasks;

import io.dropwizard.servlets.tasks.Task;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/**
 * A Dropwizard {@link Task} whose bad input is a 400, not a 500.
 *
 * <p>Dropwizard 5's {@code TaskServlet} answers every exception a task throws with a 500 and the exception's message
 * (and a stack trace if {@code admin.tasks.printStackTraceOnError} is on); a task sees only its parameters and a
 * writer, never the HTTP response, so it cannot pick a status itself. Subclasses implement {@link #run} and throw
 * {@link BadTaskInputException} for bad parameters; {@link #execute} hands that to {@link TaskErrorFilter} (when
 * the filter serves this request), which turns the answer into a 400 {@code BAD_REQUEST}. Any other exception
 * is a real failure and stays TaskServlet's 500.
 */
public abstract class AdminTask extends Task {

    protected AdminTask(String name) {
        super(name);
    }

    protected AdminTask(String name, String responseContentType) {
        super(name, responseContentType);
    }

    /** The task's work; {@link BadTaskInputException} for bad parameters. */
    protected abstract void run(Map<String, List<String>> parameters, PrintWriter output) throws Exception;

    @Override
    public final void execute(Map<String, List<String>> parameters, PrintWriter output) throws Exception {
        try {
            run(parameters, output);
        } catch (BadTaskInputException e) {
            if (!TaskErrorFilter.reject(e)) {
                throw e; // no filter around this call (a direct call, a test): the caller sees the exception
            }
        }
    }

    /** The parameter's one value, or null when it is absent; given twice is bad input. */
    protected static String single(Map<String, List<String>> parameters, String name) {
        List<String> values = parameters.get(name);
        if (values == null || values.isEmpty()) {
            return null;
        }
        if (values.size() > 1) {
            throw new BadTaskInputException("give " + name + " once; got " + values);
        }
        return values.get(0);
    }
}
