package dev.bulwark.core.readiness;

import dev.bulwark.core.limits.ConcurrencyLimiter;
import dev.bulwark.core.limits.RequestLimits;
import java.util.ArrayList;
import java.util.List;

/**
 * Request limit checks: {@code BW-L001} request limits off (no body size, form field, URL or header ceiling), {@code
 * BW-L002} no concurrency limit (info). Reads {@link RequestLimits} and {@link ConcurrencyLimiter}. Stateless.
 */
public final class LimitsChecks implements ReadinessCheck {

    @Override
    public List<ReadinessFinding> check(ReadinessContext context) {
        List<ReadinessFinding> findings = new ArrayList<>();
        if (context.component(RequestLimits.class).isEmpty()) {
            findings.add(ReadinessFinding.warning(
                    "BW-L001",
                    "request limits are off: bodies, form fields and headers are bounded only by the container",
                    "enable bulwark.limits.enabled (10 MiB bodies, 1000 form fields by default)"));
        }
        if (context.component(ConcurrencyLimiter.class).isEmpty()) {
            findings.add(ReadinessFinding.info(
                    "BW-L002",
                    "no concurrency limit: under overload every request waits for a container thread",
                    "set bulwark.limits.concurrency.max-concurrent (the startup log suggests a value)"));
        }
        return findings;
    }
}
