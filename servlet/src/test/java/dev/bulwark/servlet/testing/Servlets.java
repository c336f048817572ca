package dev.bulwark.servlet.testing;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Inline servlets for {@link TestServer}. The returned servlets answer every HTTP method and keep no state of their
 * own, so they are as thread-safe as the code passed in.
 */
public final class Servlets {

    private Servlets() {}

    /** A callback that may throw, for servlet code written as a lambda. */
    @FunctionalInterface
    public interface ThrowingBiConsumer<T, U> {
        void accept(T t, U u) throws Exception;
    }

    /** Returns a servlet answering every request with {@code 200} and {@code body} as UTF-8 {@code text/plain}. */
    public static HttpServlet text(String body) {
        return handler((request, response) -> {
            response.setContentType("text/plain;charset=UTF-8");
            response.getWriter().write(body);
        });
    }

    /**
     * Returns a servlet that runs {@code handler} for every request, whatever the method. Checked exceptions other
     * than {@link IOException} and {@link ServletException} are wrapped in a {@link ServletException}; the container
     * then answers {@code 500}.
     */
    public static HttpServlet handler(ThrowingBiConsumer<HttpServletRequest, HttpServletResponse> handler) {
        return new HttpServlet() {
            @Override
            protected void service(HttpServletRequest request, HttpServletResponse response)
                    throws ServletException, IOException {
                try {
                    handler.accept(request, response);
                } catch (IOException | ServletException | RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new ServletException(e);
                }
            }
        };
    }
}
