package dev.bulwark.core.secrets;

/**
 * Where {@link SecretKeys} found the secret key, in precedence order: a {@link #PROPERTY} value beats the {@link
 * #ENVIRONMENT} variable, which beats a {@link #FILE} named by an environment variable.
 *
 * <p>Constants are immutable and safe for concurrent use; none holds or shows a key.
 */
public enum SecretKeySource {
    /** An explicit value, such as the Spring property {@code bulwark.secret-key}. */
    PROPERTY(SecretKeys.PROPERTY),

    /** The environment variable {@code BULWARK_SECRET_KEY}. */
    ENVIRONMENT(SecretKeys.ENV),

    /**
     * The file named by the environment variable {@code BULWARK_SECRET_KEY_FILE}, as Docker and Kubernetes mount
     * secrets (e.g. {@code /run/secrets/bulwark_secret_key}).
     */
    FILE(SecretKeys.FILE_ENV);

    private final String setting;

    SecretKeySource(String setting) {
        this.setting = setting;
    }

    /** Returns the name of the setting, e.g. {@code BULWARK_SECRET_KEY_FILE}. */
    public String setting() {
        return setting;
    }
}
