package dev.wizmesh.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis given by {@code DEVSTACK_REDIS_URL} ({@code redis://[[user]:password@]host[:port][/db]}): nothing is
 * started; the devstack sends AUTH (when the URL has credentials) and PING, and hands the URL on as
 * {@code REDIS_URL}. A {@code rediss://} (TLS) URL is handed on unchecked.
 */
final class ExternalRedis implements RedisService {

    private final String url;

    private ExternalRedis(String url) {
        this.url = url;
    }

    static ExternalRedis check(String url) {
        Progress.say("using the Redis at " + RedisService.redacted(url) + " (DEVSTACK_REDIS_URL); starting none");
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new DevStackException("DEVSTACK_REDIS_URL is not a redis:// URL: " + RedisService.redacted(url), e);
        }
        if ("rediss".equals(uri.getScheme())) {
            Progress.say("warning: rediss:// (TLS): not checked, handed on as it is");
            return new ExternalRedis(url);
        }
        if (!"redis".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new DevStackException("DEVSTACK_REDIS_URL is not a redis://host:port URL: " + RedisService.redacted(url));
        }
        int port = uri.getPort() == -1 ? 6379 : uri.getPort();
        List<List<String>> commands = new ArrayList<>();
        if (uri.getRawUserInfo() != null) {
            String[] credentials = uri.getRawUserInfo().split(":", 2);
            String user = decode(credentials[0]);
            String password = credentials.length == 2 ? decode(credentials[1]) : "";
            commands.add(user.isEmpty() ? List.of("AUTH", password) : List.of("AUTH", user, password));
        }
        commands.add(List.of("PING"));
        try {
            List<String> answers = RedisService.send(uri.getHost(), port, commands);
            String last = answers.get(answers.size() - 1);
            if (!"+PONG".equals(last)) {
                throw new DevStackException("the Redis at " + RedisService.redacted(url) + " answered "
                        + String.join(", ", answers) + " (wrong password, or a password needed?)");
            }
        } catch (IOException e) {
            throw new DevStackException("the Redis at " + RedisService.redacted(url) + " does not answer: " + e, e);
        }
        Progress.say("Redis answers PING at " + uri.getHost() + ":" + port);
        return new ExternalRedis(url);
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public void close() {
        // not ours to stop
    }

    private static String decode(String value) {
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
