package dev.bulwark.servlet;

import dev.bulwark.core.limits.LimitDecision;
import dev.bulwark.core.limits.RequestLimits;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.UnsupportedEncodingException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Collection;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The request as the application sees it behind {@link RequestLimitsFilter}: its body is counted while read, its
 * URL-encoded form is parsed by Bulwark (from the counted body, so the container's own, differing form limits never
 * apply), and its multipart parts are counted when parsed. One per request; not thread-safe.
 */
final class LimitedRequest extends HttpServletRequestWrapper {

    private static final int NONE = 0;
    private static final int STREAM = 1;
    private static final int READER = 2;

    private final HttpServletResponse response;
    private final RequestLimits limits;
    private final String path;
    private final boolean countFormFields;
    private final boolean parseForm;
    private final boolean multipart;
    private final boolean lengthKnown;
    private final int queryFields;
    private @Nullable LimitedInputStream stream;
    private @Nullable BufferedReader reader;
    private int using = NONE;
    private @Nullable Map<String, String[]> parameters;
    private boolean partsChecked;
    private LimitDecision violation = LimitDecision.ALLOWED;
    private boolean answered;

    LimitedRequest(
            HttpServletRequest request,
            HttpServletResponse response,
            RequestLimits limits,
            String path,
            boolean form,
            boolean multipart,
            int queryFields) {
        super(request);
        this.response = response;
        this.limits = limits;
        this.path = path;
        this.countFormFields = form;
        this.parseForm = form && "POST".equals(request.getMethod());
        this.multipart = multipart;
        this.lengthKnown = request.getContentLengthLong() >= 0;
        this.queryFields = queryFields;
    }

    /** Returns the first limit broken while the application read the request, or {@code ALLOWED}. */
    LimitDecision violation() {
        return violation;
    }

    /** Returns whether the violation was answered with its status (false when the response was already committed). */
    boolean answered() {
        return answered;
    }

    /**
     * Answers the client at the moment a limit breaks, before the application can write anything else: resets the
     * response (the security headers come back), writes the problem document, closes the response and asks for the
     * connection to be closed (the rest of the body is never read). A committed response cannot be answered: the
     * filter then closes the connection by failing the request.
     */
    void onViolation(LimitDecision decision) {
        if (violation.rejected()) {
            return;
        }
        violation = decision;
        Rejections.mark(this, decision.rejection());
        if (response.isCommitted()) {
            return;
        }
        try {
            response.reset();
            response.setStatus(decision.status());
            response.setContentType(LimitDecision.CONTENT_TYPE);
            response.setContentLength(decision.bodyLength());
            response.setHeader("Connection", "close");
            ServletOutputStream out = response.getOutputStream();
            decision.writeBody(out);
            out.close();
            answered = true;
        } catch (IOException | IllegalStateException e) {
            // the client went away, or the response cannot be reset: the filter closes the connection
        }
    }

    private LimitedInputStream stream() throws IOException {
        LimitedInputStream s = stream;
        if (s == null) {
            s = new LimitedInputStream(
                    super.getInputStream(), limits.bodyCounter(path, countFormFields, queryFields), this);
            stream = s;
        }
        return s;
    }

    @Override
    public ServletInputStream getInputStream() throws IOException {
        if (using == READER) {
            throw new IllegalStateException("getReader() has already been called for this request");
        }
        using = STREAM;
        return stream();
    }

    @Override
    public BufferedReader getReader() throws IOException {
        if (using == STREAM) {
            throw new IllegalStateException("getInputStream() has already been called for this request");
        }
        using = READER;
        BufferedReader r = reader;
        if (r == null) {
            String encoding = getCharacterEncoding();
            r = new BufferedReader(new InputStreamReader(
                    stream(), encoding == null ? StandardCharsets.ISO_8859_1 : charset(encoding)));
            reader = r;
        }
        return r;
    }

    private static Charset charset(String encoding) throws UnsupportedEncodingException {
        try {
            return Charset.forName(encoding);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new UnsupportedEncodingException(encoding);
        }
    }

    // ------------------------------------------------------------------------------------------------ parameters

    private Map<String, String[]> parameters() {
        Map<String, String[]> p = parameters;
        if (p != null) {
            return p;
        }
        Map<String, List<String>> collected = new LinkedHashMap<>();
        String query = getQueryString();
        if (query != null) {
            FormParser.parse(query, StandardCharsets.UTF_8, collected);
        }
        if (using == NONE) {
            using = STREAM; // the body is consumed by parsing, as the servlet specification says
            String encoding = getCharacterEncoding();
            try {
                FormParser.parse(stream(), encoding == null ? StandardCharsets.UTF_8 : charset(encoding), collected);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, String[]> result = new LinkedHashMap<>();
        collected.forEach((name, values) -> result.put(name, values.toArray(new String[0])));
        p = Collections.unmodifiableMap(result);
        parameters = p;
        return p;
    }

    /** Counts parts before a multipart request's parameters are read from them; a non-multipart servlet is skipped. */
    private void checkPartsQuietly() {
        if (!multipart || partsChecked) {
            return;
        }
        try {
            getParts();
        } catch (RequestLimitExceededException e) {
            throw new UncheckedIOException(e);
        } catch (IOException | ServletException | IllegalStateException e) {
            // no multipart configuration, or a container parse error: let the container answer as it would
        }
    }

    @Override
    public @Nullable String getParameter(String name) {
        if (!parseForm) {
            checkPartsQuietly();
            return super.getParameter(name);
        }
        String[] values = parameters().get(name);
        return values == null || values.length == 0 ? null : values[0];
    }

    @Override
    public Map<String, String[]> getParameterMap() {
        if (!parseForm) {
            checkPartsQuietly();
            return super.getParameterMap();
        }
        return parameters();
    }

    @Override
    public Enumeration<String> getParameterNames() {
        if (!parseForm) {
            checkPartsQuietly();
            return super.getParameterNames();
        }
        return Collections.enumeration(parameters().keySet());
    }

    @Override
    public String @Nullable [] getParameterValues(String name) {
        if (!parseForm) {
            checkPartsQuietly();
            return super.getParameterValues(name);
        }
        String[] values = parameters().get(name);
        return values == null ? null : values.clone();
    }

    // ------------------------------------------------------------------------------------------------ multipart

    @Override
    public Collection<Part> getParts() throws IOException, ServletException {
        if (multipart && violation.rejected()) {
            throw new RequestLimitExceededException(violation);
        }
        Collection<Part> parts = super.getParts();
        if (multipart && !partsChecked) {
            partsChecked = true;
            LimitDecision decision = limits.checkParts(parts.size());
            if (!decision.rejected() && !lengthKnown) {
                // the container read the body itself: its size is checked once parsed
                long size = 0;
                for (Part part : parts) {
                    size += Math.max(0, part.getSize());
                }
                decision = limits.checkBodySize(path, size);
            }
            if (decision.rejected()) {
                onViolation(decision);
                throw new RequestLimitExceededException(decision);
            }
        }
        return parts;
    }

    @Override
    public @Nullable Part getPart(String name) throws IOException, ServletException {
        getParts();
        return super.getPart(name);
    }
}
