package dev.wizmesh.testing;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the test AMQP 0-9-1 broker is and how to log in.
 *
 * @param uri         an {@code amqp://user:password@host:port/vhost} URI for the RabbitMQ client's
 *                    {@code ConnectionFactory.setUri}, with the virtual host spelled out ({@code /%2F} for "/")
 * @param host        host name or address
 * @param port        TCP port
 * @param username    user name
 * @param password    password
 * @param virtualHost virtual host name as the client sends it, usually "/"
 */
public record AmqpBrokerInfo(URI uri, String host, int port, String username, String password, String virtualHost) {

    private static final int DEFAULT_PORT = 5672;
    private static final String DEFAULT_VIRTUAL_HOST = "/";

    static AmqpBrokerInfo of(String host, int port, String username, String password, String virtualHost) {
        URI uri = URI.create("amqp://" + encode(username) + ":" + encode(password) + "@" + host + ":" + port
                + "/" + encode(virtualHost));
        return new AmqpBrokerInfo(uri, host, port, username, password, virtualHost);
    }

    /**
     * Reads an {@code amqp://} URI such as {@code amqp://guest:guest@127.0.0.1:5672/}.
     *
     * <p>By the RabbitMQ URI spec a bare trailing slash names the virtual host "" (and the RabbitMQ client sends
     * that), which RabbitMQ refuses, while no path at all means "/". Nobody has a virtual host called "", so both
     * are read as "/" here; {@link #uri()} then spells it out as {@code /%2F}.
     */
    static AmqpBrokerInfo parse(String amqpUri) {
        URI uri = URI.create(amqpUri);
        if (!"amqp".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("expected amqp://user:password@host[:port][/vhost], got " + amqpUri);
        }
        String username = "guest";
        String password = "guest";
        if (uri.getRawUserInfo() != null) {
            String[] credentials = uri.getRawUserInfo().split(":", 2);
            username = decode(credentials[0]);
            password = credentials.length == 2 ? decode(credentials[1]) : "";
        }
        String path = uri.getRawPath();
        String virtualHost = path == null || path.length() <= 1 ? DEFAULT_VIRTUAL_HOST : decode(path.substring(1));
        return of(uri.getHost(), uri.getPort() == -1 ? DEFAULT_PORT : uri.getPort(), username, password, virtualHost);
    }

    /** Leaves the password out, so a failing assertion never prints it into a CI log. */
    @Override
    public String toString() {
        return "AmqpBrokerInfo[" + username + "@" + host + ":" + port + ", virtual host " + virtualHost + "]";
    }

    private static String encode(String value) {
        // URLEncoder is for forms; in a URI a space is %20, not +.
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String decode(String value) {
        // The reverse of encode: a + in a URI is a literal plus sign.
        return URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
