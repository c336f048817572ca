package dev.bulwark.core.accesslog;

import dev.bulwark.core.Rejection;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/** A hand-written {@link AccessLogEntry} for tests, with the values of the Gunicorn documentation's example. */
final class TestEntry implements AccessLogEntry {

    String client = "198.51.100.7";
    String peer = "10.0.0.2";

    @Nullable
    String forwarded = "203.0.113.50, 198.51.100.7";

    @Nullable
    String user = "frank";

    long startMillis = 971_211_336_123L; // 10/Oct/2000:13:55:36.123 -0700
    String method = "GET";
    String uri = "/apache_pb.gif";

    @Nullable
    String query = "a=1";

    String protocol = "HTTP/1.0";
    int status = 200;
    long bytes = 2326;
    long nanos = 1_234_567_890L;

    @Nullable
    Rejection rejection;

    final Map<String, String> requestHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    final Map<String, String> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    TestEntry() {
        requestHeaders.put("Referer", "http://www.example.com/start.html");
        requestHeaders.put("User-Agent", "Mozilla/4.08 [en] (Win98; I ;Nav)");
        requestHeaders.put("X-Forwarded-For", "203.0.113.50, 198.51.100.7");
        responseHeaders.put("Content-Type", "image/gif");
    }

    @Override
    public String clientAddress() {
        return client;
    }

    @Override
    public String peerAddress() {
        return peer;
    }

    @Override
    public @Nullable String forwardedChain() {
        return forwarded;
    }

    @Override
    public @Nullable String user() {
        return user;
    }

    @Override
    public long startMillis() {
        return startMillis;
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String requestUri() {
        return uri;
    }

    @Override
    public @Nullable String query() {
        return query;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public long bytesSent() {
        return bytes;
    }

    @Override
    public long durationNanos() {
        return nanos;
    }

    @Override
    public @Nullable String requestHeader(String name) {
        return requestHeaders.get(name.toLowerCase(Locale.ROOT));
    }

    @Override
    public @Nullable String responseHeader(String name) {
        return responseHeaders.get(name);
    }

    @Override
    public @Nullable Rejection rejection() {
        return rejection;
    }
}
