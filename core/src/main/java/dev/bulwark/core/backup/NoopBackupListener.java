package dev.bulwark.core.backup;

/** The listener that does nothing. */
enum NoopBackupListener implements BackupListener {
    INSTANCE;

    @Override
    public String toString() {
        return "BackupListener.noop()";
    }
}
