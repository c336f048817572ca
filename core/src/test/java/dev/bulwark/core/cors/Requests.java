package dev.bulwark.core.cors;

import dev.bulwark.core.TestRequest;
import dev.bulwark.core.TestResponseHeaders;

/** Request fakes for CORS tests: the server is {@code https://api.example.com} (port 443). */
final class Requests {

    static final String SERVER_HOST = "api.example.com";

    private Requests() {}

    /** A request to the server without any CORS header. */
    static TestRequest request(String method, String path) {
        return new TestRequest()
                .scheme("https")
                .host(SERVER_HOST)
                .method(method)
                .path(path);
    }

    /** An actual (non-preflight) cross-origin request to {@code /api/items}. */
    static TestRequest actual(String method, String origin) {
        return request(method, "/api/items").header("Origin", origin);
    }

    /** A preflight to {@code /api/items}. */
    static TestRequest preflight(String origin, String requestMethod) {
        return request("OPTIONS", "/api/items")
                .header("Origin", origin)
                .header("Access-Control-Request-Method", requestMethod);
    }

    /** A preflight asking for request headers. */
    static TestRequest preflight(String origin, String requestMethod, String requestHeaders) {
        return preflight(origin, requestMethod).header("Access-Control-Request-Headers", requestHeaders);
    }

    /** Writes the decision into fresh response headers. */
    static TestResponseHeaders written(CorsDecision decision) {
        TestResponseHeaders response = new TestResponseHeaders();
        decision.writeTo(response);
        return response;
    }
}
