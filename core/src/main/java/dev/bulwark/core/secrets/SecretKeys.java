package dev.bulwark.core.secrets;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.internal.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Loads the secret key from an explicit property value, the environment variable {@code BULWARK_SECRET_KEY}, or a file
 * named by the environment variable {@code BULWARK_SECRET_KEY_FILE}, in that order of precedence.
 *
 * <p>Stateless and safe for concurrent use. The environment is an argument ({@link System#getenv()} by default) so
 * that tests can inject one. Rules:
 *
 * <ul>
 *   <li>a {@code null}, empty or blank value counts as not set, so {@code BULWARK_SECRET_KEY=} in a compose file
 *       does not shadow the file;
 *   <li>trailing line breaks ({@code \n}, {@code \r\n}) are removed from every source, since {@code echo} and
 *       {@code kubectl create secret --from-file} add one; any other whitespace is kept, and a line break inside the
 *       value is rejected;
 *   <li>the file must be UTF-8 text of at most {@value #MAX_FILE_BYTES} bytes holding the key on one line: a larger
 *       file is refused as probably the wrong file (a certificate, a key store);
 *   <li>nothing is logged, and no message includes a key. A path that does not exist is shown only when it looks like
 *       a path (it has a directory part, and that directory exists and is not the root), in case someone put the key
 *       itself into {@code BULWARK_SECRET_KEY_FILE}.
 * </ul>
 *
 * <pre>{@code
 * LoadedSecretKey loaded = SecretKeys.load(props.secretKey());          // property, env, or file
 * log.info("secret key {} from {}", loaded.key().fingerprint(), loaded.describeSource());
 * KeyRing ring = KeyRing.of(loaded.key(), SecretKeys.fallbacks(props.secretKeyFallbacks()));
 * }</pre>
 */
public final class SecretKeys {

    /** Spring property of the current key: {@value}. */
    public static final String PROPERTY = "bulwark.secret-key";

    /** Spring property of the fallback keys: {@value}. */
    public static final String FALLBACKS_PROPERTY = "bulwark.secret-key-fallbacks";

    /** Environment variable holding the key: {@value}. */
    public static final String ENV = "BULWARK_SECRET_KEY";

    /** Environment variable naming a file that holds the key: {@value}. */
    public static final String FILE_ENV = "BULWARK_SECRET_KEY_FILE";

    /** Largest key file accepted, in bytes: {@value}. */
    public static final int MAX_FILE_BYTES = 4096;

    private SecretKeys() {}

    /**
     * Loads the key from the property value or the process environment ({@link System#getenv()}).
     *
     * @param propertyValue an explicit value such as the Spring property {@code bulwark.secret-key}; {@code null} or
     *     blank when not set
     * @throws IllegalStateException if no source is set
     * @throws IllegalArgumentException if the winning source is unusable (unreadable, empty or oversized file, …)
     */
    public static LoadedSecretKey load(@Nullable String propertyValue) {
        return load(propertyValue, System.getenv());
    }

    /**
     * Loads the key from the property value or the given environment.
     *
     * @param propertyValue an explicit value; {@code null} or blank when not set
     * @param env the environment variables to read {@code BULWARK_SECRET_KEY} and {@code BULWARK_SECRET_KEY_FILE} from
     * @throws IllegalStateException if no source is set
     * @throws IllegalArgumentException if the winning source is unusable (unreadable, empty or oversized file, …)
     */
    public static LoadedSecretKey load(@Nullable String propertyValue, Map<String, String> env) {
        return find(propertyValue, env)
                .orElseThrow(() -> new IllegalStateException("no secret key configured: set " + PROPERTY
                        + ", the environment variable " + ENV + ", or " + FILE_ENV
                        + " to the path of a file holding the key; generate a key with: "
                        + SecretKeyCommand.GENERATE_COMMAND));
    }

    /**
     * Returns the key from the first source that is set, or empty when none is.
     *
     * @param propertyValue an explicit value; {@code null} or blank when not set
     * @param env the environment variables to read {@code BULWARK_SECRET_KEY} and {@code BULWARK_SECRET_KEY_FILE} from
     * @throws IllegalArgumentException if the winning source is unusable (unreadable, empty or oversized file, …)
     */
    public static Optional<LoadedSecretKey> find(@Nullable String propertyValue, Map<String, String> env) {
        requireNonNull(env, "env");
        String property = propertyValue;
        String variable = env.get(ENV);
        String file = env.get(FILE_ENV);

        List<SecretKeySource> set = new ArrayList<>(3);
        if (isSet(property)) {
            set.add(SecretKeySource.PROPERTY);
        }
        if (isSet(variable)) {
            set.add(SecretKeySource.ENVIRONMENT);
        }
        if (isSet(file)) {
            set.add(SecretKeySource.FILE);
        }
        if (set.isEmpty()) {
            return Optional.empty();
        }
        SecretKeySource source = set.get(0);
        List<SecretKeySource> ignored = set.subList(1, set.size());
        return Optional.of(
                switch (source) {
                    case PROPERTY ->
                        new LoadedSecretKey(fromValue(requireNonNull(property), PROPERTY), source, null, ignored);
                    case ENVIRONMENT ->
                        new LoadedSecretKey(
                                fromValue(requireNonNull(variable), "the environment variable " + ENV),
                                source,
                                null,
                                ignored);
                    case FILE -> {
                        Path path = toPath(requireNonNull(file));
                        yield new LoadedSecretKey(readFile(path, FILE_ENV), source, path, ignored);
                    }
                });
    }

    /**
     * Reads a key from a file under the same rules as {@code BULWARK_SECRET_KEY_FILE}: UTF-8, at most {@value
     * #MAX_FILE_BYTES} bytes, one line, trailing line breaks removed. Suits fallback keys mounted as files.
     *
     * @throws IllegalArgumentException naming the file if it cannot be read, is empty, too large, not UTF-8 or holds
     *     more than one line
     */
    public static SecretKey readFile(Path file) {
        return readFile(requireNonNull(file, "file"), null);
    }

    /**
     * Returns the keys for configured fallback values, such as the Spring property {@code
     * bulwark.secret-key-fallbacks}; trailing line breaks are removed as for the current key.
     *
     * @throws IllegalArgumentException naming the entry ({@code bulwark.secret-key-fallbacks[1]}) if one is blank or
     *     spans several lines
     */
    public static List<SecretKey> fallbacks(List<String> values) {
        requireNonNull(values, "values");
        List<SecretKey> keys = new ArrayList<>(values.size());
        for (int i = 0; i < values.size(); i++) {
            String setting = FALLBACKS_PROPERTY + "[" + i + "]";
            String value = requireNonNull(values.get(i), setting);
            if (!isSet(value)) {
                throw new IllegalArgumentException(
                        setting + " must not be blank; remove the entry or set it to the retired key");
            }
            keys.add(fromValue(value, setting));
        }
        return keys;
    }

    /** Reads a key file; {@code setting} names the variable that named it, or {@code null}. */
    static SecretKey readFile(Path path, @Nullable String setting) {
        String origin = "secret key file '" + Checks.escape(path.toString()) + "'"
                + (setting == null ? "" : " (" + setting + ")");
        byte[] content;
        try (InputStream in = Files.newInputStream(path)) {
            content = in.readNBytes(MAX_FILE_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(missingFileMessage(path, setting), e);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException(
                    origin + " cannot be read: permission denied; let the application's user read it", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(
                    origin + " cannot be read: " + e.getClass().getSimpleName() + " (" + e.getMessage() + "); point "
                            + (setting == null ? "it" : setting) + " at a readable file holding the key",
                    e);
        }
        return parse(content, origin);
    }

    /**
     * Parses key text read from a file or standard input: at most {@value #MAX_FILE_BYTES} bytes of UTF-8, one line.
     *
     * @param origin names the input in messages, e.g. {@code standard input}
     */
    static SecretKey parse(byte[] content, String origin) {
        if (content.length > MAX_FILE_BYTES) {
            throw new IllegalArgumentException(origin + " is larger than " + MAX_FILE_BYTES
                    + " bytes; it must hold only the key (is it the right file?)");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(content))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(origin + " is not UTF-8 text; it must hold only the key", e);
        }
        if (!isSet(text)) {
            throw new IllegalArgumentException(origin + " is empty; write the key into it (generate one with: "
                    + SecretKeyCommand.GENERATE_COMMAND + ")");
        }
        return fromValue(text, origin);
    }

    /** Strips trailing line breaks and rejects inner ones. */
    private static SecretKey fromValue(String value, String origin) {
        int end = value.length();
        while (end > 0 && (value.charAt(end - 1) == '\n' || value.charAt(end - 1) == '\r')) {
            end--;
        }
        String key = value.substring(0, end);
        if (key.indexOf('\n') >= 0 || key.indexOf('\r') >= 0) {
            throw new IllegalArgumentException(origin + " must hold the key on a single line, but it has several lines"
                    + " (is it the right file or value?)");
        }
        return SecretKey.of(key);
    }

    private static boolean isSet(@Nullable String value) {
        return value != null && !value.isBlank();
    }

    private static Path toPath(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(
                    FILE_ENV + " is not a valid path (" + e.getReason()
                            + "); set it to the path of a file holding the key,"
                            + " such as /run/secrets/bulwark_secret_key",
                    e);
        }
    }

    /**
     * Explains a missing file, showing the path only when it looks like one: it has a directory part that exists and
     * is not the root. A value without a directory part might be a key put into the wrong variable.
     */
    private static String missingFileMessage(Path path, @Nullable String setting) {
        String what = setting == null ? "the secret key file" : setting;
        Path parent = path.toAbsolutePath().getParent();
        boolean looksLikePath =
                path.getParent() != null && parent != null && parent.getParent() != null && Files.isDirectory(parent);
        if (looksLikePath) {
            return "secret key file '" + Checks.escape(path.toString()) + "'"
                    + (setting == null ? "" : " (" + setting + ")")
                    + " does not exist; check the path and that the secret is mounted";
        }
        return what + " names a file that does not exist (the value is not shown in case it is the key itself); "
                + (setting == null ? "" : setting + " must hold a path and " + ENV + " the key; ")
                + "check the path and that the secret is mounted";
    }
}
