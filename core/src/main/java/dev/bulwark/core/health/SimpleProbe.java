package dev.bulwark.core.health;

import java.time.Duration;
import java.util.Set;

/** A probe built by {@link HealthProbe#builder(String, ProbeCheck)}. Immutable; thread-safe if its check is. */
record SimpleProbe(String name, boolean critical, Duration timeout, Set<String> groups, ProbeCheck work)
        implements HealthProbe {

    @Override
    public ProbeResult check() throws Exception {
        return work.check(timeout);
    }

    @Override
    public String toString() {
        return "HealthProbe{" + name + ", critical=" + critical + ", timeout=" + timeout + ", groups=" + groups + ", "
                + work + "}";
    }
}
