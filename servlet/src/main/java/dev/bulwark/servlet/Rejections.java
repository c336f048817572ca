package dev.bulwark.servlet;

import dev.bulwark.core.Rejection;
import dev.bulwark.core.cors.CorsDecision;
import jakarta.servlet.ServletRequest;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Where Bulwark's filters record that they answered a request themselves: the request attribute {@link #ATTRIBUTE}
 * holds the {@link Rejection}, which {@link RequestMetricsFilter} counts and {@link AccessLogFilter} logs.
 *
 * <p>Rate limiting marks {@code ratelimit/rejected} (429) and {@code ratelimit/unavailable} (503), CORS marks rejected
 * preflights ({@code cors/origin_not_allowed}, …; an actual request from a disallowed origin still reaches the
 * application, so it is not a rejection), request limits and overload protection mark their own reasons. Stateless.
 */
public final class Rejections {

    /** The request attribute holding the {@link Rejection}. */
    public static final String ATTRIBUTE = Rejection.class.getName();

    static final Rejection RATE_LIMITED = Rejection.of(Rejection.RATE_LIMIT, "rejected");
    static final Rejection RATE_LIMIT_UNAVAILABLE = Rejection.of(Rejection.RATE_LIMIT, "unavailable");
    private static final Map<CorsDecision.Reason, Rejection> CORS = corsRejections();

    private Rejections() {}

    private static Map<CorsDecision.Reason, Rejection> corsRejections() {
        Map<CorsDecision.Reason, Rejection> map = new EnumMap<>(CorsDecision.Reason.class);
        for (CorsDecision.Reason reason : CorsDecision.Reason.values()) {
            map.put(reason, Rejection.of(Rejection.CORS, reason.name().toLowerCase(Locale.ROOT)));
        }
        return map;
    }

    /** Returns the rejection recorded for a request, or {@code null} when no Bulwark filter answered it. */
    public static @Nullable Rejection of(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof Rejection rejection ? rejection : null;
    }

    /** Records a rejection on the request; the first one recorded wins. */
    static void mark(ServletRequest request, @Nullable Rejection rejection) {
        if (rejection != null && request.getAttribute(ATTRIBUTE) == null) {
            request.setAttribute(ATTRIBUTE, rejection);
        }
    }

    /** Returns the shared rejection of a CORS reason. */
    static Rejection cors(CorsDecision.@Nullable Reason reason) {
        return reason == null
                ? Rejection.of(Rejection.CORS, "rejected")
                : CORS.getOrDefault(reason, Rejection.of(Rejection.CORS, "rejected"));
    }
}
