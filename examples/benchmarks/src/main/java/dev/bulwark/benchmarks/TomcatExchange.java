package dev.bulwark.benchmarks;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;

/**
 * One request/response pair of Tomcat 11's real connector classes, built in-process without a running server, as
 * the other benchmarks do: what Bulwark's filters and Tomcat's own valves meet in production.
 */
final class TomcatExchange {

    final org.apache.coyote.Request coyoteRequest = new org.apache.coyote.Request();
    final org.apache.coyote.Response coyoteResponse = new org.apache.coyote.Response();
    final Request request;
    final Response response;

    /**
     * A browser-like {@code GET /api/items/42?page=2} from 127.0.0.1 through a proxy (eleven header lines).
     *
     * @param method the request method
     * @param contentLength the declared body length, or -1 for none
     */
    TomcatExchange(String method, long contentLength) {
        coyoteRequest.method().setString(method);
        coyoteRequest.requestURI().setString("/api/items/42");
        coyoteRequest.decodedURI().setString("/api/items/42");
        coyoteRequest.queryString().setString("page=2");
        coyoteRequest.protocol().setString("HTTP/1.1");
        coyoteRequest.remoteAddr().setString("127.0.0.1");
        coyoteRequest.setStartTimeNanos(System.nanoTime());
        header("Host", "api.example.com");
        header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0");
        header("Accept", "application/json, text/plain, */*");
        header("Accept-Language", "en-US,en;q=0.5");
        header("Accept-Encoding", "gzip, deflate, br, zstd");
        header("Referer", "https://app.example.com/items?page=2");
        header("Cookie", "SESSION=Zjc2OTk1ZDQtMzE4Ny00YzE1LWE1NzUtNmI1NDE5YjI2Y2Fk; theme=dark");
        header("Connection", "keep-alive");
        header("X-Forwarded-For", "203.0.113.50, 198.51.100.7");
        header("Sec-Fetch-Mode", "cors");
        header("Sec-Fetch-Site", "same-site");
        if (contentLength >= 0) {
            header("Content-Type", "application/json");
            coyoteRequest.setContentLength(contentLength);
        }
        Connector connector = new Connector();
        request = new Request(connector, coyoteRequest);
        response = new Response(coyoteResponse);
        request.getMappingData().wrapperPath.setString("/api/items/42"); // the servlet path, mapped by "/*"
        response.setRequest(request);
        request.setResponse(response);
        coyoteResponse.setStatus(200);
    }

    private void header(String name, String value) {
        coyoteRequest.getMimeHeaders().addValue(name).setString(value);
    }

    /** Returns the servlet-facing request (Tomcat's facade). */
    HttpServletRequest servletRequest() {
        return request.getRequest();
    }

    /** Returns the servlet-facing response (Tomcat's facade). */
    HttpServletResponse servletResponse() {
        return response.getResponse();
    }

    /** Clears what a filter wrote, as Tomcat does between requests, keeping the request as it is. */
    void recycleResponse() {
        coyoteResponse.recycle();
        coyoteResponse.setStatus(200);
    }
}
