package dev.wizmesh.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a scrape against the Prometheus text exposition format (version 0.0.4): every line is
 * a HELP or TYPE comment, a sample {@code name{label="value",...} value [timestamp]}, or blank.
 * What a Prometheus server would refuse to ingest, a test should refuse too.
 */
public final class PrometheusText {
    private static final String NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
    private static final String LABEL = "[a-zA-Z_][a-zA-Z0-9_]*=\"(?:\\\\.|[^\"\\\\])*\"";
    private static final String VALUE = "(?:[-+]?(?:[0-9]*\\.?[0-9]+(?:[eE][-+]?[0-9]+)?)|NaN|[-+]Inf)";
    private static final Pattern SAMPLE = Pattern.compile(
            NAME + "(?:\\{(?:" + LABEL + "(?:," + LABEL + ")*,?)?})? " + VALUE + "(?: -?[0-9]+)?");
    private static final Pattern HELP = Pattern.compile("# HELP " + NAME + "( .*)?");
    private static final Pattern TYPE = Pattern.compile("# TYPE " + NAME + " (counter|gauge|histogram|summary|untyped)");

    private PrometheusText() {
    }

    /** The lines that break the format (empty when the scrape is valid). */
    public static List<String> invalidLines(String scrape) {
        List<String> bad = new ArrayList<>();
        for (String line : scrape.split("\n")) {
            boolean ok = line.isEmpty() || SAMPLE.matcher(line).matches() || HELP.matcher(line).matches()
                    || TYPE.matcher(line).matches() || (line.startsWith("#") && !line.startsWith("# HELP") && !line.startsWith("# TYPE"));
            if (!ok) {
                bad.add(line);
            }
        }
        return bad;
    }
}
