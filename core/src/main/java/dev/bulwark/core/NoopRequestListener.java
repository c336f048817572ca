package dev.bulwark.core;

/** The listener {@link RequestListener#noop()} returns. */
enum NoopRequestListener implements RequestListener {
    INSTANCE;

    @Override
    public String toString() {
        return "RequestListener.noop()";
    }
}
