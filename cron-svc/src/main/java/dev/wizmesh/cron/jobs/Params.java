package dev.wizmesh.cron.jobs;

import java.util.List;
import java.util.Map;

/** Reading a job's parameters with clear complaints: the types' validate and run share these. */
final class Params {
    private Params() {
    }

    static String string(Map<String, Object> params, String name, String fallback) {
        Object v = params.get(name);
        if (v == null) {
            if (fallback == null) {
                throw new InvalidParamsException("'" + name + "' is required");
            }
            return fallback;
        }
        if (!(v instanceof String s) || s.isBlank()) {
            throw new InvalidParamsException("'" + name + "' must be a non-empty string");
        }
        return s;
    }

    static int integer(Map<String, Object> params, String name, int fallback, int min, int max) {
        Object v = params.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof Integer i) || i < min || i > max) {
            throw new InvalidParamsException("'" + name + "' must be a whole number from " + min + " to " + max + "; got " + v);
        }
        return i;
    }

    static List<String> strings(Map<String, Object> params, String name, List<String> fallback) {
        Object v = params.get(name);
        if (v == null) {
            return fallback;
        }
        if (!(v instanceof List<?> list) || list.isEmpty() || !list.stream().allMatch(e -> e instanceof String s && !s.isBlank())) {
            throw new InvalidParamsException("'" + name + "' must be a non-empty list of names");
        }
        return list.stream().map(String.class::cast).toList();
    }

    /** Refuses parameters the type does not know: a typo ("olderThanMinute") must not be silently ignored. */
    static void only(Map<String, Object> params, String... known) {
        for (String key : params.keySet()) {
            if (!List.of(known).contains(key)) {
                throw new InvalidParamsException("unknown parameter '" + key + "'; known: " + String.join(", ", known));
            }
        }
    }
}
