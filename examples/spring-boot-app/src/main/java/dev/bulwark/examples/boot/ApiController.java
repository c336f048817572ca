package dev.bulwark.examples.boot;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.security.Principal;
import java.util.Locale;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/** The example API: the endpoints later capabilities and their checks rely on. */
@RestController
class ApiController {

    /** Public greeting. */
    @GetMapping(path = "/api/hello", produces = MediaType.TEXT_PLAIN_VALUE)
    String hello() {
        return "Hello from Bulwark\n";
    }

    /**
     * Public, no CSRF token needed: reports how many body bytes and form fields arrived. The body is streamed and
     * counted, never buffered whole.
     */
    @PostMapping(path = "/api/echo", produces = MediaType.APPLICATION_JSON_VALUE)
    String echo(HttpServletRequest request) throws Exception {
        String contentType =
                request.getContentType() == null ? "" : request.getContentType().toLowerCase(Locale.ROOT);
        long bytes = 0;
        long fields = 0;
        if (contentType.startsWith("multipart/")) {
            for (Part part : request.getParts()) {
                bytes += part.getSize();
                fields++;
            }
        } else {
            boolean form = contentType.startsWith("application/x-www-form-urlencoded");
            long[] counts = count(request.getInputStream(), form);
            bytes = counts[0];
            fields = counts[1];
        }
        return "{\"bytes\":" + bytes + ",\"fields\":" + fields + "}";
    }

    /** Returns the authenticated user's name (HTTP Basic: alice / alice-secret). */
    @GetMapping(path = "/api/me", produces = MediaType.TEXT_PLAIN_VALUE)
    String me(Principal principal) {
        return principal.getName();
    }

    /** Counts bytes, and for a URL-encoded form the non-empty {@code &}-separated fields, while streaming. */
    private static long[] count(InputStream in, boolean form) throws IOException {
        byte[] buffer = new byte[8192];
        long bytes = 0;
        long fields = 0;
        boolean inField = false;
        int n;
        while ((n = in.read(buffer)) > 0) {
            bytes += n;
            if (form) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] == '&') {
                        inField = false;
                    } else if (!inField) {
                        inField = true;
                        fields++;
                    }
                }
            }
        }
        return new long[] {bytes, fields};
    }
}
