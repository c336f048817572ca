package dev.bulwark.core.secrets;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A key returned by {@link SecretKeys#load}, with where it came from, so that startup logs and readiness reports can
 * say which source won without showing the key.
 *
 * <p>Instances are immutable and safe for concurrent use. {@link #toString()} shows the key's fingerprint only.
 *
 * @param key the key
 * @param source the source the key was read from
 * @param file the file the key was read from when {@code source} is {@link SecretKeySource#FILE}, else {@code null}
 * @param ignored lower-precedence sources that were also set and therefore ignored, in precedence order; a readiness
 *     check may warn about them, since a value that is set but unused is usually a mistake
 */
public record LoadedSecretKey(
        SecretKey key, SecretKeySource source, @Nullable Path file, List<SecretKeySource> ignored) {

    /** Checks the components and copies {@code ignored}. */
    public LoadedSecretKey {
        requireNonNull(key, "key");
        requireNonNull(source, "source");
        requireNonNull(ignored, "ignored");
        ignored = List.copyOf(ignored);
        if ((source == SecretKeySource.FILE) != (file != null)) {
            throw new IllegalArgumentException(
                    "file must be given exactly when the source is FILE, got source=" + source + ", file=" + file);
        }
    }

    /**
     * Returns where the key came from, without the key, e.g. {@code BULWARK_SECRET_KEY_FILE
     * (/run/secrets/bulwark_secret_key)} or {@code BULWARK_SECRET_KEY}.
     */
    public String describeSource() {
        return file == null ? source.setting() : source.setting() + " (" + file + ")";
    }
}
