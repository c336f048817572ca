package dev.bulwark.core.health;

/** A listener that does nothing. Stateless and safe for concurrent use. */
enum NoopHealthListener implements HealthListener {
    INSTANCE;

    @Override
    public String toString() {
        return "HealthListener.noop()";
    }
}
