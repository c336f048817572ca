package dev.bulwark.core.readiness;

import dev.bulwark.core.ratelimit.RateLimiter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rate-limit checks: {@code BW-R001} rate limiting off, {@code BW-R002} dry-run mode (nothing is ever rejected).
 * Reads {@link RateLimiter}. Stateless.
 */
public final class RateLimitChecks implements ReadinessCheck {

    @Override
    public List<ReadinessFinding> check(ReadinessContext context) {
        List<ReadinessFinding> findings = new ArrayList<>();
        Optional<RateLimiter> limiter = context.component(RateLimiter.class);
        if (limiter.isEmpty() || limiter.get().isEmpty()) {
            findings.add(ReadinessFinding.warning(
                    "BW-R001",
                    "rate limiting is off: one client can exhaust the application",
                    "set bulwark.rate-limit.anonymous (e.g. 1000/hour) and bulwark.rate-limit.authenticated "
                            + "(e.g. 5000/hour)"));
        } else if (limiter.get().dryRun()) {
            findings.add(ReadinessFinding.warning(
                    "BW-R002",
                    "rate limiting runs in dry-run mode: limits are counted but never enforced",
                    "set bulwark.rate-limit.dry-run=false once the limits are tuned"));
        }
        return findings;
    }
}
