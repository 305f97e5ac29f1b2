package dev.wizmesh.bench.registry;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * A closed-loop HTTP/1.1 load generator on raw keep-alive sockets, one thread per connection.
 * Java's HttpClient costs the 2 shared cores more CPU per request than the server under test
 * does, so it would measure itself; writing the request bytes and reading the status line and
 * Content-Length body keeps the generator's share small, as wrk's does.
 */
final class RawHttpLoad {
    record Result(double perSecond, Percentiles latency, long errors) {
    }

    private RawHttpLoad() {
    }

    /**
     * @param request request number → the raw request head (method, path, headers, blank line)
     */
    static Result run(String host, int port, int connections, int warmupSeconds, int seconds, IntFunction<String> request)
            throws InterruptedException {
        long warmupEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(warmupSeconds);
        long end = warmupEnd + TimeUnit.SECONDS.toNanos(seconds);
        List<Worker> workers = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Worker w = new Worker(host, port, c, connections, warmupEnd, end, request);
            workers.add(w);
            w.start();
        }
        long errors = 0;
        List<double[]> all = new ArrayList<>();
        int total = 0;
        for (Worker w : workers) {
            w.join();
            errors += w.errors;
            all.add(java.util.Arrays.copyOf(w.samples, w.count));
            total += w.count;
        }
        double[] merged = new double[total];
        int at = 0;
        for (double[] part : all) {
            System.arraycopy(part, 0, merged, at, part.length);
            at += part.length;
        }
        return new Result(total / (double) seconds, Percentiles.of(merged), errors);
    }

    private static final class Worker extends Thread {
        private final String host;
        private final int port;
        private final int offset;
        private final int stride;
        private final long warmupEnd;
        private final long end;
        private final IntFunction<String> request;
        final double[] samples = new double[2_000_000];
        int count;
        long errors;

        Worker(String host, int port, int offset, int stride, long warmupEnd, long end, IntFunction<String> request) {
            super("raw-load-" + offset);
            this.host = host;
            this.port = port;
            this.offset = offset;
            this.stride = stride;
            this.warmupEnd = warmupEnd;
            this.end = end;
            this.request = request;
        }

        @Override
        public void run() {
            int n = offset;
            while (System.nanoTime() < end) {
                try (Socket socket = new Socket(host, port)) {
                    socket.setTcpNoDelay(true);
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream(), 16_384);
                    while (System.nanoTime() < end) {
                        long start = System.nanoTime();
                        out.write(request.apply(n).getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        n += stride;
                        int status = readResponse(in);
                        long now = System.nanoTime();
                        if (start >= warmupEnd && count < samples.length) {
                            samples[count++] = (now - start) / 1e6;
                            if (status / 100 != 2) {
                                errors++;
                            }
                        }
                    }
                } catch (IOException e) {
                    if (System.nanoTime() >= warmupEnd) {
                        errors++;
                    }
                }
            }
        }

        /** Reads one response (status line, headers, Content-Length or chunked body); returns the status. */
        private static int readResponse(InputStream in) throws IOException {
            String statusLine = readLine(in);
            int status = Integer.parseInt(statusLine.substring(9, 12));
            int length = -1;
            boolean chunked = false;
            String line;
            while (!(line = readLine(in)).isEmpty()) {
                String lower = line.toLowerCase();
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(line.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            if (chunked) {
                int size;
                while ((size = Integer.parseInt(readLine(in).trim(), 16)) > 0) {
                    in.skipNBytes(size);
                    readLine(in);
                }
                readLine(in);
            } else if (length > 0) {
                in.skipNBytes(length);
            }
            return status;
        }

        private static String readLine(InputStream in) throws IOException {
            StringBuilder sb = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (b != '\r') {
                    sb.append((char) b);
                }
            }
            if (b == -1 && sb.length() == 0) {
                throw new IOException("connection closed");
            }
            return sb.toString();
        }
    }
}
