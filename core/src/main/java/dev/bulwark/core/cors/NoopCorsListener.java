package dev.bulwark.core.cors;

/** The listener {@link CorsListener#noop()} returns; {@link Cors} skips calling it. */
enum NoopCorsListener implements CorsListener {
    INSTANCE;

    @Override
    public void onDecision(String mapping, CorsDecision decision) {}
}
