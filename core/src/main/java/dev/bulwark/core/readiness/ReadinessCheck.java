package dev.bulwark.core.readiness;

import java.util.List;

/**
 * Inspects the configured components for one capability and reports what is unsafe for production.
 *
 * <p>Implementations must be stateless and thread-safe; they run once at startup (and when a report is requested) and
 * must not block or perform I/O. Built-in checks are found with {@link java.util.ServiceLoader} (listed in {@code
 * META-INF/services/dev.bulwark.core.readiness.ReadinessCheck}), so adding a check for a new capability is one class
 * plus one line there; applications add their own through {@link Readiness.Builder#check(ReadinessCheck)} or, with
 * Spring, as beans. A check reads what it needs from the {@link ReadinessContext}: a component that is absent means the
 * capability is switched off.
 */
@FunctionalInterface
public interface ReadinessCheck {

    /** Returns the findings for this context; empty when all is well. Must not throw. */
    List<ReadinessFinding> check(ReadinessContext context);
}
