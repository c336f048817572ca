package dev.bulwark.core.health;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The built-in checks that need no driver: TCP connect, HTTP GET, disk space, deadlocks. Each is thread-safe. */
final class NetworkChecks {

    private NetworkChecks() {}

    /** Connects to host:port within the timeout; the host is resolved on each check (DNS may change). */
    record Tcp(String host, int port) implements ProbeCheck {
        @Override
        public ProbeResult check(Duration timeout) throws IOException {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), (int) Math.max(1, timeout.toMillis()));
            }
            return ProbeResult.up(Map.of("target", target()));
        }

        String target() {
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
        }

        @Override
        public String toString() {
            return "tcp(" + target() + ")";
        }
    }

    /** Sends GET without following redirects; 2xx and 3xx are up. The body is discarded. */
    static final class Http implements ProbeCheck {
        private final URI uri;
        private final String display;
        private volatile @Nullable HttpClient client;

        Http(URI uri) {
            this.uri = uri;
            String host = uri.getHost() == null ? "" : uri.getHost();
            this.display = uri.getScheme() + "://" + host + (uri.getPort() == -1 ? "" : ":" + uri.getPort())
                    + (uri.getRawPath() == null ? "" : uri.getRawPath());
        }

        private HttpClient client() {
            HttpClient c = client;
            if (c == null) {
                synchronized (this) {
                    c = client;
                    if (c == null) {
                        c = HttpClient.newBuilder()
                                .followRedirects(HttpClient.Redirect.NEVER)
                                .connectTimeout(Duration.ofSeconds(30))
                                .build();
                        client = c;
                    }
                }
            }
            return c;
        }

        @Override
        public ProbeResult check(Duration timeout) throws IOException, InterruptedException {
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("User-Agent", "bulwark-health")
                    .GET()
                    .build();
            HttpResponse<Void> response = client().send(request, HttpResponse.BodyHandlers.discarding());
            int code = response.statusCode();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("target", display);
            details.put("status", code);
            if (code >= 200 && code < 400) {
                return ProbeResult.up(details);
            }
            return ProbeResult.down("HTTP " + code, details).withError("HTTP " + code);
        }

        @Override
        public String toString() {
            return "http(" + display + ")";
        }
    }

    /** Compares the usable space of the file store holding the path with a threshold. */
    record Disk(Path path, long minFreeBytes) implements ProbeCheck {
        @Override
        public ProbeResult check(Duration timeout) throws IOException {
            FileStore store = Files.getFileStore(path);
            long free = store.getUsableSpace();
            long total = store.getTotalSpace();
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("free", free);
            details.put("total", total);
            details.put("threshold", minFreeBytes);
            if (free < minFreeBytes) {
                return ProbeResult.down(
                                "free disk space " + bytes(free) + " is below the threshold of " + bytes(minFreeBytes),
                                details)
                        .withError("free disk space below threshold");
            }
            return ProbeResult.up(details);
        }

        @Override
        public String toString() {
            return "disk(" + path + ", min-free=" + bytes(minFreeBytes) + ")";
        }
    }

    /** Reports deadlocked threads ({@link ThreadMXBean#findDeadlockedThreads()}); process state only. */
    enum Deadlocks implements ProbeCheck {
        INSTANCE;

        @Override
        public ProbeResult check(Duration timeout) {
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long[] ids = threads.findDeadlockedThreads();
            if (ids == null || ids.length == 0) {
                return ProbeResult.up();
            }
            return ProbeResult.down(ids.length + " threads are deadlocked", Map.of("threads", ids.length))
                    .withError("deadlocked threads");
        }

        @Override
        public String toString() {
            return "deadlocks()";
        }
    }

    /** Formats a byte count: {@code 512 B}, {@code 10.0 MB}, {@code 1.5 GB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KB", "MB", "GB", "TB", "PB", "EB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
