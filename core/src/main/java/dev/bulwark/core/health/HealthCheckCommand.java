package dev.bulwark.core.health;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;

/**
 * A tiny health check command for Docker {@code HEALTHCHECK} in images without curl; JDK only.
 *
 * <pre>{@code
 * HEALTHCHECK --interval=10s --timeout=6s CMD ["java", "-cp", "/app/bulwark-core.jar",
 *     "dev.bulwark.core.health.HealthCheckCommand", "--timeout", "5s", "http://127.0.0.1:8080/health/ready"]
 * }</pre>
 *
 * <p>Sends {@code GET} to the URL (redirects not followed) and exits with {@code 0} on a {@code 2xx} answer, {@code 1}
 * on any other answer, a connection error or a timeout (default {@value #DEFAULT_TIMEOUT_SECONDS} s, for connecting and
 * receiving the status together), and {@code 2} on a usage error. One line is written to standard output (success) or
 * standard error (failure). Stateless; {@link #run} is safe for concurrent use.
 */
public final class HealthCheckCommand {

    /** The default timeout in seconds. */
    public static final int DEFAULT_TIMEOUT_SECONDS = 5;

    private static final String USAGE =
            "usage: java -cp bulwark-core.jar dev.bulwark.core.health.HealthCheckCommand [--timeout 5s] <http-url>";

    private HealthCheckCommand() {}

    /** Runs the command and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /**
     * Runs the command.
     *
     * @param args {@code [--timeout <duration>] <url>}; durations such as {@code 500ms}, {@code 5s} or {@code PT5S}
     * @return {@code 0} when the URL answered 2xx, {@code 1} when it did not, {@code 2} on a usage error
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Duration timeout = Duration.ofSeconds(DEFAULT_TIMEOUT_SECONDS);
        String url = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if ("--timeout".equals(a) || "-t".equals(a)) {
                if (i + 1 >= args.length) {
                    err.println("--timeout needs a value such as 5s\n" + USAGE);
                    return 2;
                }
                try {
                    timeout = HealthText.parseDuration(args[++i]);
                } catch (IllegalArgumentException e) {
                    err.println("--timeout " + e.getMessage() + "\n" + USAGE);
                    return 2;
                }
                if (timeout.isZero() || timeout.isNegative() || timeout.compareTo(Duration.ofMinutes(10)) > 0) {
                    err.println("--timeout must be between 1ms and 10m: " + args[i]);
                    return 2;
                }
            } else if (a.startsWith("--timeout=")) {
                return run(withSplitTimeout(args, i), out, err);
            } else if ("--help".equals(a) || "-h".equals(a)) {
                out.println(USAGE);
                return 0;
            } else if (url == null && !a.startsWith("-")) {
                url = a;
            } else {
                err.println("unexpected argument: " + a + "\n" + USAGE);
                return 2;
            }
        }
        if (url == null) {
            err.println(USAGE);
            return 2;
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            err.println("invalid url: " + url + " (" + e.getReason() + ")");
            return 2;
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!("http".equals(scheme) || "https".equals(scheme)) || uri.getHost() == null) {
            err.println("url must be http:// or https:// with a host: " + url);
            return 2;
        }
        long start = System.nanoTime();
        try {
            HttpClient client = HttpClient.newBuilder()
                    .connectTimeout(timeout)
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .build();
            HttpRequest request = HttpRequest.newBuilder(uri)
                    .timeout(timeout)
                    .header("User-Agent", "bulwark-healthcheck")
                    .GET()
                    .build();
            HttpResponse<Void> response = client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
            int code = response.statusCode();
            long ms = (System.nanoTime() - start) / 1_000_000;
            if (code >= 200 && code < 300) {
                out.println("healthy: " + code + " from " + url + " in " + ms + " ms");
                return 0;
            }
            err.println("unhealthy: " + code + " from " + url + " in " + ms + " ms");
            return 1;
        } catch (java.util.concurrent.TimeoutException e) {
            err.println("unhealthy: no answer from " + url + " within " + HealthText.human(timeout));
            return 1;
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            String what = cause instanceof java.net.http.HttpTimeoutException
                    ? "no answer within " + HealthText.human(timeout)
                    : describe(cause);
            err.println("unhealthy: " + url + ": " + what);
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("unhealthy: interrupted");
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("unhealthy: " + url + ": " + e.getMessage());
            return 1;
        }
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        if (root instanceof java.net.ConnectException && (msg == null || msg.isEmpty())) {
            return "connection refused";
        }
        if (root instanceof IOException && msg != null && !msg.isEmpty()) {
            return root.getClass().getSimpleName() + ": " + msg;
        }
        return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }

    private static String[] withSplitTimeout(String[] args, int index) {
        String[] copy = new String[args.length + 1];
        System.arraycopy(args, 0, copy, 0, index);
        copy[index] = "--timeout";
        copy[index + 1] = args[index].substring("--timeout=".length());
        System.arraycopy(args, index + 1, copy, index + 2, args.length - index - 1);
        return copy;
    }
}
