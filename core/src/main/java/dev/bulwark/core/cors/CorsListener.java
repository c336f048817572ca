package dev.bulwark.core.cors;

/**
 * Receives every CORS decision, for metrics.
 *
 * <p>Called on the request thread, after the decision is made and before it is written: implementations must be
 * thread-safe, fast and non-blocking, and should not throw (an exception is logged and otherwise ignored). Tag metrics
 * with the mapping name, the {@link CorsDecision.Outcome} and the {@link CorsDecision.Reason} only; never with the
 * origin, which is attacker-controlled and unbounded.
 *
 * <p>Not called for {@link CorsDecision.Outcome#NOT_APPLICABLE}; not called at all when the listener is {@link
 * #noop()}.
 */
@FunctionalInterface
public interface CorsListener {

    /**
     * Reports a decision.
     *
     * @param mapping the name of the mapping whose policy decided, {@value Cors#DEFAULT_POLICY_NAME} for the default
     * @param decision the decision
     */
    void onDecision(String mapping, CorsDecision decision);

    /** Returns a listener that does nothing. */
    static CorsListener noop() {
        return NoopCorsListener.INSTANCE;
    }
}
