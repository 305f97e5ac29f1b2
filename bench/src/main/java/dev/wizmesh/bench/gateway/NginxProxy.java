package dev.wizmesh.bench.gateway;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The reference: Debian's nginx as a plain reverse proxy to the same upstream, with a pool of
 * keep-alive connections to it (what a production nginx in front of a service looks like). Run
 * in the foreground from a scratch prefix directory and stopped with SIGTERM.
 */
final class NginxProxy implements AutoCloseable {
    private final Path dir;
    private final Process process;
    private final int port;

    private NginxProxy(Path dir, Process process, int port) {
        this.dir = dir;
        this.process = process;
        this.port = port;
    }

    /** nginx on the PATH or in /usr/sbin (bench/gateway.sh installs Debian's package when it can). */
    static String binary() {
        for (String candidate : List.of("/usr/sbin/nginx", "/usr/bin/nginx")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, "nginx"))) {
                return Path.of(d, "nginx").toString();
            }
        }
        return null;
    }

    static String config(Path dir, int port, int upstreamPort) {
        return """
                # written by the gateway benchmark (bench/gateway.sh)
                worker_processes auto;
                daemon off;
                pid %1$s/nginx.pid;
                error_log %1$s/error.log warn;
                events { worker_connections 4096; }
                http {
                    access_log %1$s/access.log;          # on, as in a production nginx
                    client_body_temp_path %1$s/client_body;
                    proxy_temp_path %1$s/proxy;
                    fastcgi_temp_path %1$s/fastcgi;
                    uwsgi_temp_path %1$s/uwsgi;
                    scgi_temp_path %1$s/scgi;
                    keepalive_requests 100000;
                    upstream bench_upstream {
                        server 127.0.0.1:%3$d;
                        keepalive 64;
                    }
                    server {
                        listen 127.0.0.1:%2$d;
                        location / {
                            proxy_pass http://bench_upstream;
                            proxy_http_version 1.1;
                            proxy_set_header Connection "";
                        }
                    }
                }
                """.formatted(dir, port, upstreamPort);
    }

    static NginxProxy start(String binary, Path dir, int port, int upstreamPort) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        // workers run as an unprivileged user when nginx is started by root: they must reach the prefix
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path conf = dir.resolve("nginx.conf");
        Files.writeString(conf, config(dir, port, upstreamPort));
        Process check = new ProcessBuilder(binary, "-t", "-p", dir.toString(), "-c", conf.toString())
                .redirectErrorStream(true).start();
        String checkOutput = new String(check.getInputStream().readAllBytes());
        if (check.waitFor() != 0) {
            throw new IllegalStateException("nginx -t failed: " + checkOutput);
        }
        Process process = new ProcessBuilder(binary, "-p", dir.toString(), "-c", conf.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        return new NginxProxy(dir, process, port);
    }

    int port() {
        return port;
    }

    /** The master and its workers, for CPU accounting. */
    List<ProcessHandle> processes() {
        List<ProcessHandle> all = new java.util.ArrayList<>();
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        return all;
    }

    Path dir() {
        return dir;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: fast shutdown
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }
}
