package dev.bulwark.servlet.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;

/**
 * Sends many HTTP/1.1 requests pipelined over a few keep-alive connections and counts the response statuses: a fast,
 * real client for floods of hundreds of thousands of requests. Every response must carry a {@code Content-Length}.
 */
public final class Pipelined {

    private static final int BATCH = 100;

    private Pipelined() {}

    /**
     * Sends {@code count} requests, request {@code i} produced by {@code request.apply(i)} (a full request head), over
     * {@code connections} connections, and returns how many responses had each status.
     */
    public static Map<Integer, Integer> send(int port, int count, int connections, IntFunction<String> request) {
        Map<Integer, Integer> statuses = new TreeMap<>();
        Thread[] threads = new Thread[connections];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int[][] perConnection = new int[connections][600];
        for (int c = 0; c < connections; c++) {
            int connection = c;
            threads[c] = new Thread(() -> {
                try {
                    run(port, connection, connections, count, request, perConnection[connection]);
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                }
            });
            threads[c].start();
        }
        for (Thread thread : threads) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        if (failure.get() != null) {
            throw new IllegalStateException("pipelined requests failed", failure.get());
        }
        for (int[] counts : perConnection) {
            for (int status = 0; status < counts.length; status++) {
                if (counts[status] > 0) {
                    statuses.merge(status, counts[status], Integer::sum);
                }
            }
        }
        return statuses;
    }

    /**
     * Sends this connection's share in batches of {@value #BATCH} requests per socket: Tomcat closes a keep-alive
     * connection after 100 requests by default ({@code maxKeepAliveRequests}).
     */
    private static void run(
            int port, int connection, int connections, int count, IntFunction<String> request, int[] counts)
            throws IOException {
        int next = connection;
        while (next < count) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
                socket.setSoTimeout(30_000);
                socket.setTcpNoDelay(true);
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
                int sent = 0;
                for (; sent < BATCH && next < count; sent++, next += connections) {
                    out.write(request.apply(next).getBytes(ISO_8859_1));
                }
                out.flush();
                InputStream in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
                for (int n = 0; n < sent; n++) {
                    counts[readResponse(in)]++;
                }
            }
        }
    }

    /** Reads one response, returns its status. */
    private static int readResponse(InputStream in) throws IOException {
        String statusLine = readLine(in);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        long length = -1;
        for (String line = readLine(in); !line.isEmpty(); line = readLine(in)) {
            if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                length = Long.parseLong(line.substring(15).strip());
            } else if (line.regionMatches(true, 0, "Transfer-Encoding:", 0, 18)) {
                throw new IllegalStateException("chunked response in a pipelined test: give the app a length");
            }
        }
        if (length < 0) {
            throw new IllegalStateException("response without Content-Length: " + statusLine);
        }
        for (long skipped = 0; skipped < length; ) {
            long n = in.skip(length - skipped);
            if (n <= 0) {
                if (in.read() < 0) {
                    throw new IOException("connection closed inside a body");
                }
                n = 1;
            }
            skipped += n;
        }
        return status;
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder(64);
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }
}
