package dev.bulwark.servlet.testing;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * Sends HTTP/1.1 requests to a {@link TestServer} over a real socket.
 *
 * <p>{@link #get} and {@link #send} use one shared {@link HttpClient} (HTTP/1.1 only, redirects not followed, 5 s
 * connect timeout, 10 s request timeout). That client refuses restricted headers such as {@code Host},
 * {@code Connection}, {@code Content-Length}, {@code Expect} and {@code Upgrade}; for those, and for duplicate or
 * malformed header lines, use {@link #raw}, which writes the request bytes exactly as given.
 *
 * <p>All methods are thread-safe. I/O failures and timeouts are thrown as {@link UncheckedIOException}, so tests need
 * no {@code throws} clause.
 */
public final class Http {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final String LOOPBACK = "127.0.0.1";

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(CONNECT_TIMEOUT)
            .build();

    private Http() {}

    /** Sends {@code GET uri}. */
    public static Response get(URI uri) {
        return send("GET", uri, Map.of(), null);
    }

    /**
     * Sends a request through the shared client.
     *
     * @param method any method token, for example {@code POST} or {@code PATCH}
     * @param headers extra request headers; restricted names (such as {@code Host}) are rejected, use {@link #raw}
     * @param body a UTF-8 request body, or {@code null} for none
     */
    public static Response send(String method, URI uri, Map<String, String> headers, @Nullable String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(REQUEST_TIMEOUT)
                .method(method, body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body, UTF_8));
        headers.forEach(request::header);
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), BodyHandlers.ofString());
            return new Response(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + uri + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UncheckedIOException(new InterruptedIOException(method + " " + uri + " interrupted"));
        }
    }

    /**
     * Writes {@code rawRequest} to {@code 127.0.0.1:port} byte for byte (each char becomes one ISO-8859-1 byte) and
     * reads one response. Line endings are not rewritten: write {@code \r\n}, or build the head with
     * {@link #rawRequest}.
     *
     * <p>The response body ends where {@code Content-Length} says, after the last chunk of a chunked body, or when
     * the server closes the connection; send {@code Connection: close} when the response may have neither. Interim
     * {@code 1xx} responses are skipped. Responses to {@code HEAD} and {@code 204}/{@code 304} responses have no body.
     *
     * @throws IllegalArgumentException if {@code rawRequest} has a char above {@code U+00FF}; use
     *     {@link #raw(int, byte[])} for other bytes
     */
    public static RawResponse raw(int port, String rawRequest) {
        for (int i = 0; i < rawRequest.length(); i++) {
            if (rawRequest.charAt(i) > 0xFF) {
                throw new IllegalArgumentException("char at index " + i + " is not ISO-8859-1; pass bytes instead");
            }
        }
        return raw(port, rawRequest.getBytes(ISO_8859_1));
    }

    /** Like {@link #raw(int, String)}, for arbitrary bytes (for example UTF-8 in a header value). */
    public static RawResponse raw(int port, byte[] rawRequest) {
        boolean head = new String(rawRequest, 0, Math.min(5, rawRequest.length), ISO_8859_1).equals("HEAD ");
        try (Socket socket = new Socket()) {
            socket.connect(
                    new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), (int) CONNECT_TIMEOUT.toMillis());
            socket.setSoTimeout((int) REQUEST_TIMEOUT.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(rawRequest);
            out.flush();
            return readResponse(new BufferedInputStream(socket.getInputStream()), head);
        } catch (IOException e) {
            throw new UncheckedIOException("raw request to port " + port + " failed", e);
        }
    }

    /**
     * Joins request-line and header lines with {@code \r\n} and adds the blank line that ends the head, for example
     * {@code rawRequest("GET / HTTP/1.1", "Host: evil.example", "Connection: close")}.
     */
    public static String rawRequest(String... lines) {
        return String.join("\r\n", lines) + "\r\n\r\n";
    }

    /**
     * A response read by the shared client.
     *
     * @param headers response headers; lookups are case-insensitive
     * @param body the body, decoded with the {@code Content-Type} charset (UTF-8 when none)
     */
    public record Response(int status, HttpHeaders headers, String body) {

        /** Returns the first value of the named header (case-insensitive). */
        public Optional<String> header(String name) {
            return headers.firstValue(name);
        }

        /** Returns every value of the named header (case-insensitive) in received order; empty when absent. */
        public List<String> headers(String name) {
            return headers.allValues(name);
        }
    }

    /**
     * A response read from a raw socket.
     *
     * @param statusLine the status line as received, for example {@code HTTP/1.1 400 Bad Request}
     * @param headers header lines by case-insensitive name, values in received order and not split on commas
     * @param body the body (de-chunked), decoded as UTF-8
     */
    public record RawResponse(int status, String statusLine, Map<String, List<String>> headers, String body) {

        /** Returns the first value of the named header (case-insensitive). */
        public Optional<String> header(String name) {
            return headers(name).stream().findFirst();
        }

        /** Returns every value of the named header (case-insensitive) in received order; empty when absent. */
        public List<String> headers(String name) {
            return headers.getOrDefault(name, List.of());
        }
    }

    private static RawResponse readResponse(InputStream in, boolean head) throws IOException {
        String statusLine;
        int status;
        Map<String, List<String>> headers;
        do {
            statusLine = readLine(in);
            if (statusLine == null) {
                throw new EOFException("connection closed before a status line");
            }
            status = parseStatus(statusLine);
            headers = readHeaders(in);
        } while (status >= 100 && status < 200 && status != 101);

        byte[] body;
        String contentLength = first(headers, "Content-Length");
        String transferEncoding = first(headers, "Transfer-Encoding");
        if (head || status < 200 || status == 204 || status == 304) {
            body = new byte[0];
        } else if (transferEncoding != null
                && transferEncoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            body = readChunked(in);
        } else if (contentLength != null) {
            body = readExactly(in, Integer.parseInt(contentLength.trim()));
        } else {
            body = in.readAllBytes();
        }
        return new RawResponse(status, statusLine, headers, new String(body, UTF_8));
    }

    private static int parseStatus(String statusLine) throws IOException {
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + statusLine);
        }
        try {
            return Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new IOException("bad status code in: " + statusLine, e);
        }
    }

    private static Map<String, List<String>> readHeaders(InputStream in) throws IOException {
        Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        String line;
        while ((line = readLine(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IOException("malformed response header line: " + line);
            }
            headers.computeIfAbsent(line.substring(0, colon).trim(), name -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        headers.replaceAll((name, values) -> List.copyOf(values));
        return Collections.unmodifiableMap(headers);
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine(in);
            if (sizeLine == null) {
                throw new EOFException("connection closed inside a chunked body");
            }
            int semicolon = sizeLine.indexOf(';');
            String hex = (semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim();
            int size = Integer.parseInt(hex, 16);
            if (size == 0) {
                readHeaders(in); // trailers, discarded
                return body.toByteArray();
            }
            body.write(readExactly(in, size));
            readLine(in); // CRLF after the chunk data
        }
    }

    private static byte[] readExactly(InputStream in, int length) throws IOException {
        byte[] bytes = in.readNBytes(length);
        if (bytes.length < length) {
            throw new EOFException("expected " + length + " body bytes, got " + bytes.length);
        }
        return bytes;
    }

    /** Reads one line ending in LF (a preceding CR is dropped); null at end of stream before any byte. */
    private static @Nullable String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            line.write(b);
        }
        if (b == -1 && line.size() == 0) {
            return null;
        }
        String text = line.toString(ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    }

    private static @Nullable String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
