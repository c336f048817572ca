package dev.bulwark.core.health;

import static dev.bulwark.core.internal.Checks.requireArgument;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.jspecify.annotations.Nullable;

/**
 * Checks Redis with {@code PING} over a plain socket speaking RESP: optional {@code AUTH} (password, or ACL user and
 * password), optional {@code SELECT}, then {@code PING}, pipelined in one write. {@code rediss://} uses TLS with host
 * name verification. Every read is bounded by the probe timeout; a reply line is read up to 512 bytes. The password is
 * never shown in messages or {@code toString}. Thread-safe (one socket per check).
 */
final class RedisCheck implements ProbeCheck {

    private static final int MAX_LINE = 512;

    private final String host;
    private final int port;
    private final boolean tls;
    private final @Nullable String username;
    private final @Nullable String password;
    private final int database;
    private final String display;

    private RedisCheck(
            String host, int port, boolean tls, @Nullable String username, @Nullable String password, int database) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.username = username;
        this.password = password;
        this.database = database;
        this.display = (tls ? "rediss://" : "redis://") + (password != null ? "***@" : "")
                + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + "/" + database;
    }

    /**
     * Parses {@code redis://[[user]:password@]host[:port][/database]} or {@code rediss://…}. A user info without a
     * colon is a password, as in Lettuce.
     *
     * @param setting the setting name for error messages
     * @throws IllegalArgumentException if the URI is not such a URI
     */
    static RedisCheck parse(String uri, String setting) {
        URI u;
        try {
            u = new URI(uri.strip());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(
                    setting + " must be a redis URI such as redis://:password@redis:6379/0: '" + JdbcCheck.redact(uri)
                            + "' (" + e.getReason() + ")");
        }
        String scheme = u.getScheme();
        requireArgument(
                "redis".equalsIgnoreCase(scheme) || "rediss".equalsIgnoreCase(scheme),
                "%s must start with redis:// or rediss://: '%s'",
                setting,
                display(u));
        String host = u.getHost();
        requireArgument(
                host != null && !host.isEmpty(),
                "%s must name a host, such as redis://redis:6379: '%s'",
                setting,
                display(u));
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port = u.getPort() == -1 ? 6379 : u.getPort();
        requireArgument(port >= 1 && port <= 65535, "%s port must be 1..65535: '%s'", setting, display(u));
        String path = u.getPath() == null ? "" : u.getPath();
        int database = 0;
        if (!path.isEmpty() && !"/".equals(path)) {
            String db = path.substring(1);
            boolean digits = !db.isEmpty() && db.length() <= 5;
            for (int i = 0; i < db.length() && digits; i++) {
                digits = Character.isDigit(db.charAt(i));
            }
            requireArgument(
                    digits, "%s database must be a number, as in redis://redis:6379/0: '%s'", setting, display(u));
            database = Integer.parseInt(db);
        }
        requireArgument(
                u.getRawQuery() == null && u.getRawFragment() == null,
                "%s must not have a query or fragment: '%s'",
                setting,
                display(u));
        String user = null;
        String pass = null;
        String info = u.getUserInfo();
        if (info != null && !info.isEmpty()) {
            int colon = info.indexOf(':');
            if (colon < 0) {
                pass = info;
            } else {
                user = colon == 0 ? null : info.substring(0, colon);
                pass = info.substring(colon + 1);
            }
            if (pass != null && pass.isEmpty()) {
                pass = null;
            }
        }
        return new RedisCheck(host, port, "rediss".equalsIgnoreCase(scheme), user, pass, database);
    }

    private static String display(URI u) {
        String authority = u.getRawAuthority() == null ? "" : u.getRawAuthority();
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = "***@" + authority.substring(at + 1);
        }
        return u.getScheme() + "://" + authority + (u.getRawPath() == null ? "" : u.getRawPath());
    }

    @Override
    public ProbeResult check(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Object> details = Map.of("target", display);
        try (Socket socket = tls ? SSLSocketFactory.getDefault().createSocket() : new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), remainingMillis(deadline));
            if (socket instanceof SSLSocket ssl) {
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(params);
                socket.setSoTimeout(remainingMillis(deadline));
                ssl.startHandshake();
            }
            List<List<String>> commands = new ArrayList<>(3);
            if (password != null) {
                commands.add(username != null ? List.of("AUTH", username, password) : List.of("AUTH", password));
            }
            if (database != 0) {
                commands.add(List.of("SELECT", Integer.toString(database)));
            }
            commands.add(List.of("PING"));
            OutputStream out = socket.getOutputStream();
            out.write(encode(commands));
            out.flush();
            InputStream in = socket.getInputStream();
            for (List<String> command : commands) {
                socket.setSoTimeout(remainingMillis(deadline));
                String reply = readLine(in);
                String expected = "PING".equals(command.get(0)) ? "+PONG" : "+OK";
                if (!expected.equals(reply)) {
                    String shown = reply.startsWith("-") || reply.startsWith("+") ? reply.substring(1) : reply;
                    return ProbeResult.down(
                                    "redis answered " + command.get(0) + " with: " + HealthText.oneLine(shown, 200),
                                    details)
                            .withError("redis error reply to " + command.get(0));
                }
            }
            return ProbeResult.up(details);
        }
    }

    private static int remainingMillis(long deadline) throws SocketTimeoutException {
        long ms = (deadline - System.nanoTime()) / 1_000_000;
        if (ms <= 0) {
            throw new SocketTimeoutException("redis did not answer in time");
        }
        return (int) Math.min(Integer.MAX_VALUE, ms);
    }

    private static byte[] encode(List<List<String>> commands) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(64);
        for (List<String> command : commands) {
            write(buf, "*" + command.size() + "\r\n");
            for (String arg : command) {
                byte[] bytes = arg.getBytes(StandardCharsets.UTF_8);
                write(buf, "$" + bytes.length + "\r\n");
                buf.write(bytes, 0, bytes.length);
                write(buf, "\r\n");
            }
        }
        return buf.toByteArray();
    }

    private static void write(ByteArrayOutputStream buf, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        buf.write(b, 0, b.length);
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(16);
        while (line.size() < MAX_LINE) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("redis closed the connection");
            }
            if (b == '\r') {
                int lf = in.read();
                if (lf != '\n') {
                    throw new IOException("malformed redis reply");
                }
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        throw new IOException("redis reply line longer than " + MAX_LINE + " bytes");
    }

    @Override
    public String toString() {
        return "redis(" + display + ")";
    }
}
