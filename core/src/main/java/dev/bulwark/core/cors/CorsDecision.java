package dev.bulwark.core.cors;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.ResponseHeaders;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The CORS verdict for one request: what to do with it and which headers to write.
 *
 * <p>A filter writes the decision, then routes on its {@link #outcome()}: a preflight ({@link
 * Outcome#PREFLIGHT_OK}, {@link Outcome#PREFLIGHT_REJECTED}) is answered here with {@link #status()} and an empty body;
 * every other outcome continues to the application. Rejections carry no CORS header at all, so the browser blocks the
 * response (Fetch standard section 4.10, "CORS check"); the request itself is not blocked for non-preflights, as
 * simple requests reach the server anyway.
 *
 * <pre>{@code
 * CorsDecision decision = cors.evaluate(request);
 * decision.writeTo(responseHeaders);
 * if (decision.isPreflight()) {
 *     response.setStatus(decision.status());   // 204 or 403, empty body
 *     return;
 * }
 * chain.doFilter(request, response);
 * }</pre>
 *
 * <p>Instances are immutable and safe for concurrent use. Decisions for preflights answered from the preflight cache,
 * rejections and requests without CORS headers are shared instances; compare them with {@link #outcome()}, not by
 * identity.
 */
public final class CorsDecision {

    /** What the request is and what to do with it. */
    public enum Outcome {
        /** No mapping covers the path and there is no default policy: nothing is written. */
        NOT_APPLICABLE,
        /** The request carries no {@code Origin}: continue; only {@code Vary} may be written. */
        NOT_CORS,
        /** The {@code Origin} is the request's own origin: continue without CORS headers; only {@code Vary}. */
        SAME_ORIGIN,
        /** A cross-origin request the policy allows: write the CORS headers and continue. */
        ALLOWED,
        /** A cross-origin request the policy does not allow: continue without CORS headers (the browser blocks it). */
        ORIGIN_REJECTED,
        /** An allowed preflight: answer {@code 204} with the CORS headers, do not continue. */
        PREFLIGHT_OK,
        /** A rejected preflight: answer {@code 403} without CORS headers, do not continue. */
        PREFLIGHT_REJECTED
    }

    /** Why a request was rejected. */
    public enum Reason {
        /** The {@code Origin} is not a well-formed serialized origin. */
        MALFORMED_ORIGIN,
        /** The origin is well formed (or {@code null}) but not allowed by the policy. */
        ORIGIN_NOT_ALLOWED,
        /** {@code Access-Control-Request-Method} is not a method token. */
        MALFORMED_METHOD,
        /** The method is not allowed by the policy (methods are case-sensitive). */
        METHOD_NOT_ALLOWED,
        /** {@code Access-Control-Request-Headers} is not a comma-separated list of header names. */
        MALFORMED_HEADERS,
        /** {@code Access-Control-Request-Headers} is longer, or lists more names, than the configured bound. */
        HEADERS_TOO_LONG,
        /** A requested header is not allowed by the policy. */
        HEADER_NOT_ALLOWED,
        /** The preflight asked for Private Network Access, which the policy does not allow. */
        PRIVATE_NETWORK_NOT_ALLOWED
    }

    private static final String[] NO_HEADERS = new String[0];

    /** The decision for a request no policy covers. */
    static final CorsDecision NOT_APPLICABLE =
            new CorsDecision(Outcome.NOT_APPLICABLE, null, "", 0, null, null, NO_HEADERS);

    private final Outcome outcome;
    private final @Nullable Reason reason;
    private final String mapping;
    private final int status;
    private final @Nullable String vary;
    private final @Nullable String allowOrigin;
    /** Further CORS headers as name, value pairs. */
    private final String[] headers;

    CorsDecision(
            Outcome outcome,
            @Nullable Reason reason,
            String mapping,
            int status,
            @Nullable String vary,
            @Nullable String allowOrigin,
            String[] headers) {
        this.outcome = outcome;
        this.reason = reason;
        this.mapping = mapping;
        this.status = status;
        this.vary = vary;
        this.allowOrigin = allowOrigin;
        this.headers = headers;
    }

    static CorsDecision of(Outcome outcome, String mapping, @Nullable String vary) {
        return new CorsDecision(outcome, null, mapping, 0, vary, null, NO_HEADERS);
    }

    static CorsDecision rejected(Outcome outcome, Reason reason, String mapping, @Nullable String vary) {
        return new CorsDecision(
                outcome, reason, mapping, outcome == Outcome.PREFLIGHT_REJECTED ? 403 : 0, vary, null, NO_HEADERS);
    }

    /** Returns the outcome. */
    public Outcome outcome() {
        return outcome;
    }

    /** Returns why the request was rejected, or {@code null} unless the outcome is a rejection. */
    public @Nullable Reason reason() {
        return reason;
    }

    /**
     * Returns the name of the mapping whose policy decided ({@value Cors#DEFAULT_POLICY_NAME} for the default policy),
     * or an empty string for {@link Outcome#NOT_APPLICABLE}.
     */
    public String mapping() {
        return mapping;
    }

    /** Returns whether this answers a preflight, which must not reach the application. */
    public boolean isPreflight() {
        return outcome == Outcome.PREFLIGHT_OK || outcome == Outcome.PREFLIGHT_REJECTED;
    }

    /**
     * Returns the status of a preflight answer: {@code 204} when allowed, {@code 403} when rejected; {@code 0} for
     * every other outcome, whose status the application decides.
     */
    public int status() {
        return status;
    }

    /**
     * Returns whether the response varies on {@code Origin}, i.e. whether {@link #writeTo} appends {@code Origin} to
     * {@code Vary}. True for every response of a policy whose {@code Access-Control-Allow-Origin} depends on the
     * origin, including requests without an {@code Origin} and rejected ones, so that shared caches never serve one
     * origin's answer to another.
     */
    public boolean varyOrigin() {
        return vary != null;
    }

    /** Returns the tokens {@link #writeTo} appends to {@code Vary}, or {@code null} when it appends none. */
    public @Nullable String vary() {
        return vary;
    }

    /** Returns the value of one CORS header this decision writes (case-insensitive name), or {@code null}. */
    public @Nullable String header(String name) {
        requireNonNull(name, "name");
        if (allowOrigin != null && name.equalsIgnoreCase(CorsHeaders.ALLOW_ORIGIN)) {
            return allowOrigin;
        }
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return headers[i + 1];
            }
        }
        return null;
    }

    /** Returns the CORS headers this decision writes, in order, without {@code Vary}; empty for rejections. */
    public Map<String, String> headers() {
        Map<String, String> map = new LinkedHashMap<>();
        if (allowOrigin != null) {
            map.put(CorsHeaders.ALLOW_ORIGIN, allowOrigin);
        }
        for (int i = 0; i < headers.length; i += 2) {
            map.put(headers[i], headers[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /**
     * Writes this decision's headers: appends its tokens to {@code Vary} (see {@link Vary#append}) and sets each CORS
     * header, replacing a value set earlier. Writes nothing for {@link Outcome#NOT_APPLICABLE}. Allocates nothing
     * unless an existing {@code Vary} must be extended.
     */
    public void writeTo(ResponseHeaders response) {
        requireNonNull(response, "response");
        if (vary != null) {
            Vary.append(response, vary);
        }
        if (allowOrigin != null) {
            response.set(CorsHeaders.ALLOW_ORIGIN, allowOrigin);
        }
        for (int i = 0; i < headers.length; i += 2) {
            response.set(headers[i], headers[i + 1]);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("CorsDecision{").append(outcome);
        if (reason != null) {
            sb.append(", reason=").append(reason);
        }
        if (!mapping.isEmpty()) {
            sb.append(", mapping=").append(mapping);
        }
        if (status != 0) {
            sb.append(", status=").append(status);
        }
        if (vary != null) {
            sb.append(", vary=").append(vary);
        }
        Map<String, String> h = headers();
        if (!h.isEmpty()) {
            sb.append(", headers=").append(h);
        }
        return sb.append('}').toString();
    }
}
