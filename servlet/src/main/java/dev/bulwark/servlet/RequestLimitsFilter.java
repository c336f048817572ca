package dev.bulwark.servlet;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.limits.LimitDecision;
import dev.bulwark.core.limits.RequestLimits;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Enumeration;

/**
 * Enforces {@link RequestLimits}: answers {@code 414}, {@code 431}, {@code 400} or {@code 413} with an {@code
 * application/problem+json} document instead of calling the application, or cuts a body off while the application
 * reads it.
 *
 * <p>Before the application runs: the URL length, the header count and size, the fields of the query string, and a
 * declared {@code Content-Length} above the path's body limit (answered {@code 413} before a byte of the body is read,
 * with {@code Connection: close} so the container does not read it either).
 *
 * <p>While the application runs, the request is wrapped only when it can carry a body the checks above did not
 * settle (a body of unknown length, a URL-encoded form, a multipart request); other requests, such as every {@code
 * GET}, pass unwrapped:
 *
 * <ul>
 *   <li>a body of unknown length (chunked) is counted as the application reads it through {@code getInputStream()} or
 *       {@code getReader()}; the read that passes the limit throws {@link RequestLimitExceededException}, never
 *       handing over a byte beyond the limit, and the client is answered {@code 413} at that moment (nothing is
 *       buffered);
 *   <li>the fields of an {@code application/x-www-form-urlencoded} body are counted the same way, with the query's:
 *       the field past the limit answers {@code 400}. For {@code POST} forms, Bulwark parses the parameters itself
 *       from the counted body ({@code getParameter*}), so the container's own form limits (Jetty 200 KB, Tomcat 2 MB
 *       and 1000 or 10 000 fields, silently dropped on 10.1) never apply, and the same request gets the same answer
 *       on every container. The body's charset is the request's, or UTF-8;
 *   <li>multipart parts are counted when the application (or Spring's multipart resolver) calls {@code getParts()}
 *       or {@code getPart()}: containers parse multipart through their own input, so parts are counted once parsed
 *       (the container's multipart configuration bounds that parse, and spools large parts to disk); too many answer
 *       {@code 400}; without a {@code Content-Length}, their total size is checked against the body limit then.
 * </ul>
 *
 * <p>After answering a body cut off by a limit, up to 2 MiB more of it are read and discarded (as Tomcat's {@code
 * maxSwallowSize} does), so that closing the connection does not reset it before the client has read the answer. When
 * the response is already committed as a limit breaks, the status can no longer change: the filter rethrows the
 * failure so that the container closes the connection. Instances are immutable and safe for concurrent use.
 */
public final class RequestLimitsFilter extends HttpFilter {

    private static final long serialVersionUID = 1L;

    /** The most bytes of an over-limit body discarded after answering, so that the answer survives the close. */
    static final long DRAIN_LIMIT = 2L * 1024 * 1024;

    private final transient RequestLimits limits;

    /** Creates the filter over limits. */
    public RequestLimitsFilter(RequestLimits limits) {
        this.limits = requireNonNull(limits, "limits");
    }

    /** Returns the limits. */
    public RequestLimits limits() {
        return limits;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String uri = request.getRequestURI();
        String query = request.getQueryString();
        LimitDecision decision = limits.checkUrl(uri.length() + (query == null ? 0L : 1L + query.length()));
        if (!decision.rejected()) {
            decision = checkHeaders(request);
        }
        if (!decision.rejected()) {
            decision = limits.checkQuery(query);
        }
        String path = null;
        long contentLength = request.getContentLengthLong();
        if (!decision.rejected() && contentLength > 0) {
            path = ServletRequestView.pathWithinApplication(request);
            decision = limits.checkContentLength(path, contentLength);
        }
        if (decision.rejected()) {
            reject(request, response, decision, contentLength > 0);
            return;
        }
        String contentType = request.getContentType();
        boolean form = contentType != null && startsWithIgnoreCase(contentType, "application/x-www-form-urlencoded");
        boolean multipart = contentType != null && startsWithIgnoreCase(contentType, "multipart/");
        boolean unknownLength = contentLength < 0 && mayHaveBody(request);
        if (!(unknownLength || ((form || multipart) && contentLength != 0))) {
            chain.doFilter(request, response);
            return;
        }
        if (path == null) {
            path = ServletRequestView.pathWithinApplication(request);
        }
        int queryFields = form && query != null ? RequestLimits.countFields(query) : 0;
        LimitedRequest limited = new LimitedRequest(request, response, limits, path, form, multipart, queryFields);
        try {
            chain.doFilter(limited, response);
        } catch (IOException | ServletException | RuntimeException e) {
            if (limited.answered() && RequestLimitExceededException.causedBy(e)) {
                drain(request); // the client has its answer; the application merely propagated the interruption
                return;
            }
            throw e;
        }
        if (limited.answered()) {
            drain(request);
            return;
        }
        if (limited.violation().rejected() && !limited.answered()) {
            // committed before the limit broke: the status cannot change, so fail the exchange and close the connection
            throw new RequestLimitExceededException(limited.violation());
        }
    }

    /**
     * Reads and discards up to {@value #DRAIN_LIMIT} more bytes of a body cut off by a limit, as Tomcat's {@code
     * maxSwallowSize} does: a connection closed while the client is still sending is reset, and a reset can destroy
     * the answer before the client reads it. Beyond that bound the connection is closed all the same.
     */
    private static void drain(HttpServletRequest request) {
        try {
            InputStream in = request.getInputStream();
            byte[] buffer = new byte[8192];
            long left = DRAIN_LIMIT;
            int n;
            while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                left -= n;
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or the body is already closed: nothing more to do
        }
    }

    private LimitDecision checkHeaders(HttpServletRequest request) {
        Enumeration<String> names = request.getHeaderNames();
        if (names == null) {
            return LimitDecision.ALLOWED;
        }
        int count = 0;
        long size = 0;
        while (names.hasMoreElements()) {
            String name = names.nextElement();
            Enumeration<String> values = request.getHeaders(name);
            while (values.hasMoreElements()) {
                count++;
                size += name.length() + values.nextElement().length() + 4L; // "name: value\r\n"
            }
        }
        return limits.checkHeaders(count, size);
    }

    private static boolean mayHaveBody(HttpServletRequest request) {
        if (request.getHeader("Transfer-Encoding") != null) {
            return true;
        }
        String method = request.getMethod();
        // HTTP/2 and HTTP/3 requests may carry a body without Content-Length or Transfer-Encoding
        return !("GET".equals(method) || "HEAD".equals(method) || "OPTIONS".equals(method) || "DELETE".equals(method))
                && !"HTTP/1.1".equals(request.getProtocol())
                && !"HTTP/1.0".equals(request.getProtocol());
    }

    private static boolean startsWithIgnoreCase(String value, String prefix) {
        return value.regionMatches(true, 0, prefix, 0, prefix.length());
    }

    static void reject(
            HttpServletRequest request, HttpServletResponse response, LimitDecision decision, boolean unreadBody)
            throws IOException {
        Rejections.mark(request, decision.rejection());
        response.setStatus(decision.status());
        response.setContentType(LimitDecision.CONTENT_TYPE);
        response.setContentLength(decision.bodyLength());
        if (unreadBody) {
            response.setHeader("Connection", "close"); // do not make the container read what nobody will use
        }
        decision.writeBody(response.getOutputStream());
    }

    @Override
    public String toString() {
        return "RequestLimitsFilter[" + limits + "]";
    }
}
