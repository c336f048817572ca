package dev.bulwark.core.cors;

/** Header names of the CORS protocol (Fetch standard section 3.2.3) and Private Network Access. */
final class CorsHeaders {

    static final String ORIGIN = "Origin";
    static final String VARY = "Vary";

    static final String REQUEST_METHOD = "Access-Control-Request-Method";
    static final String REQUEST_HEADERS = "Access-Control-Request-Headers";
    static final String REQUEST_PRIVATE_NETWORK = "Access-Control-Request-Private-Network";

    static final String ALLOW_ORIGIN = "Access-Control-Allow-Origin";
    static final String ALLOW_CREDENTIALS = "Access-Control-Allow-Credentials";
    static final String ALLOW_METHODS = "Access-Control-Allow-Methods";
    static final String ALLOW_HEADERS = "Access-Control-Allow-Headers";
    static final String ALLOW_PRIVATE_NETWORK = "Access-Control-Allow-Private-Network";
    static final String EXPOSE_HEADERS = "Access-Control-Expose-Headers";
    static final String MAX_AGE = "Access-Control-Max-Age";

    /** {@code Vary} of responses whose {@code Access-Control-Allow-Origin} depends on the request's origin. */
    static final String VARY_ORIGIN = ORIGIN;
    /** {@code Vary} of preflight answers. */
    static final String VARY_PREFLIGHT = ORIGIN + ", " + REQUEST_METHOD + ", " + REQUEST_HEADERS;
    /** {@code Vary} of preflight answers when Private Network Access is on. */
    static final String VARY_PREFLIGHT_PNA = VARY_PREFLIGHT + ", " + REQUEST_PRIVATE_NETWORK;

    private CorsHeaders() {}
}
