package dev.bulwark.core.secrets;

import static dev.bulwark.core.secrets.SecretKeyTest.STRONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretKeysTest {

    private static final String GENERATE =
            "java -cp bulwark-core.jar dev.bulwark.core.secrets.SecretKeyCommand generate";

    // each source gets its own key, so that a test can tell which one won
    private static final String FROM_PROPERTY = "property-" + STRONG;
    private static final String FROM_ENV = "environment-" + STRONG;
    private static final String FROM_FILE = "file-" + STRONG;

    @TempDir
    Path dir;

    private Path keyFile(String content) throws IOException {
        return Files.writeString(dir.resolve("secret_key"), content, StandardCharsets.UTF_8);
    }

    @Test
    void propertyWinsOverEnvironmentAndFile() throws IOException {
        Path file = keyFile(FROM_FILE);
        LoadedSecretKey loaded =
                SecretKeys.load(FROM_PROPERTY, Map.of(SecretKeys.ENV, FROM_ENV, SecretKeys.FILE_ENV, file.toString()));
        assertThat(loaded.key()).isEqualTo(SecretKey.of(FROM_PROPERTY));
        assertThat(loaded.source()).isEqualTo(SecretKeySource.PROPERTY);
        assertThat(loaded.file()).isNull();
        assertThat(loaded.ignored()).containsExactly(SecretKeySource.ENVIRONMENT, SecretKeySource.FILE);
        assertThat(loaded.describeSource()).isEqualTo("bulwark.secret-key");
    }

    @Test
    void environmentWinsOverFile() throws IOException {
        Path file = keyFile(FROM_FILE);
        LoadedSecretKey loaded =
                SecretKeys.load(null, Map.of(SecretKeys.ENV, FROM_ENV, SecretKeys.FILE_ENV, file.toString()));
        assertThat(loaded.key()).isEqualTo(SecretKey.of(FROM_ENV));
        assertThat(loaded.source()).isEqualTo(SecretKeySource.ENVIRONMENT);
        assertThat(loaded.ignored()).containsExactly(SecretKeySource.FILE);
        assertThat(loaded.describeSource()).isEqualTo("BULWARK_SECRET_KEY");
    }

    @Test
    void fileIsUsedWhenNothingElseIsSet() throws IOException {
        Path file = keyFile(FROM_FILE + "\n");
        LoadedSecretKey loaded = SecretKeys.load(null, Map.of(SecretKeys.FILE_ENV, file.toString()));
        assertThat(loaded.key()).isEqualTo(SecretKey.of(FROM_FILE));
        assertThat(loaded.source()).isEqualTo(SecretKeySource.FILE);
        assertThat(loaded.file()).isEqualTo(file);
        assertThat(loaded.ignored()).isEmpty();
        assertThat(loaded.describeSource()).isEqualTo("BULWARK_SECRET_KEY_FILE (" + file + ")");
        assertThat(loaded.toString())
                .doesNotContain(FROM_FILE)
                .contains(loaded.key().fingerprint());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\n", " \t "})
    void blankValuesCountAsUnset(String blank) throws IOException {
        Path file = keyFile(FROM_FILE);
        LoadedSecretKey loaded =
                SecretKeys.load(blank, Map.of(SecretKeys.ENV, blank, SecretKeys.FILE_ENV, file.toString()));
        assertThat(loaded.source()).isEqualTo(SecretKeySource.FILE);
        assertThat(SecretKeys.find(blank, Map.of(SecretKeys.ENV, blank, SecretKeys.FILE_ENV, blank)))
                .isEmpty();
    }

    @Test
    void nothingConfiguredFailsWithTheFix() {
        assertThat(SecretKeys.find(null, Map.of())).isEmpty();
        assertThatIllegalStateException()
                .isThrownBy(() -> SecretKeys.load(null, Map.of("OTHER", "x")))
                .withMessage("no secret key configured: set bulwark.secret-key, the environment variable"
                        + " BULWARK_SECRET_KEY, or BULWARK_SECRET_KEY_FILE to the path of a file holding the key;"
                        + " generate a key with: " + GENERATE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "\r\n", "\n\n", "\r\n\r\n"})
    void trailingLineBreaksAreRemovedFromEverySource(String lineBreak) throws IOException {
        Path file = keyFile(FROM_FILE + lineBreak);
        assertThat(SecretKeys.load(null, Map.of(SecretKeys.FILE_ENV, file.toString()))
                        .key())
                .isEqualTo(SecretKey.of(FROM_FILE));
        assertThat(SecretKeys.load(null, Map.of(SecretKeys.ENV, FROM_ENV + lineBreak))
                        .key())
                .isEqualTo(SecretKey.of(FROM_ENV));
        assertThat(SecretKeys.load(FROM_PROPERTY + lineBreak, Map.of()).key()).isEqualTo(SecretKey.of(FROM_PROPERTY));
    }

    @Test
    void otherWhitespaceIsKept() throws IOException {
        Path file = keyFile(" " + FROM_FILE + " \n");
        assertThat(SecretKeys.load(null, Map.of(SecretKeys.FILE_ENV, file.toString()))
                        .key())
                .isEqualTo(SecretKey.of(" " + FROM_FILE + " "));
    }

    @Test
    void multiLineFileIsRejected() throws IOException {
        Path file = keyFile("-----BEGIN PRIVATE KEY-----\n" + STRONG + "\n-----END PRIVATE KEY-----\n");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKeys.load(null, Map.of(SecretKeys.FILE_ENV, file.toString())))
                .withMessage("secret key file '" + file + "' (BULWARK_SECRET_KEY_FILE) must hold the key on a single"
                        + " line, but it has several lines (is it the right file or value?)")
                .withMessageNotContaining(STRONG);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKeys.load(null, Map.of(SecretKeys.ENV, STRONG + "\n" + STRONG)))
                .withMessage("the environment variable BULWARK_SECRET_KEY must hold the key on a single line, but it"
                        + " has several lines (is it the right file or value?)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n", "  \n", "\r\n"})
    void emptyFileIsRejected(String content) throws IOException {
        Path file = keyFile(content);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKeys.load(null, Map.of(SecretKeys.FILE_ENV, file.toString())))
                .withMessage("secret key file '" + file + "' (BULWARK_SECRET_KEY_FILE) is empty; write the key into"
                        + " it (generate one with: " + GENERATE + ")");
    }

    @Test
    void fileOfAtMost4KiBIsAccepted() throws IOException {
        String key = "k" + STRONG.repeat(100).substring(0, 4094);
        Path file = keyFile(key + "\n");
        assertThat(Files.size(file)).isEqualTo(4096);
        assertThat(SecretKeys.readFile(file)).isEqualTo(SecretKey.of(key));
    }

    @Test
    void largerFileIsRefused() throws IOException {
        Path file = keyFile(STRONG.repeat(100).substring(0, 4097));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKeys.load(null, Map.of(SecretKeys.FILE_ENV, file.toString())))
                .withMessage("secret key file '" + file + "' (BULWARK_SECRET_KEY_FILE) is larger than 4096 bytes; it"
                        + " must hold only the key (is it the right file?)");
    }

    @Test
    void binaryFileIsRejected() throws IOException {
        Path file = Files.write(dir.resolve("keystore.p12"), new byte[] {0x30, (byte) 0x82, (byte) 0xff, 0x0a});
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKeys.load(null, Map.of(SecretKeys.FILE_ENV, file.toString())))
                .withMessage("secret key file '" + file + "' (BULWARK_SECRET_KEY_FILE) is not UTF-8 text; it must"
                        + " hold only the key");
    }

    @Test
    void missingFileIsNamed() {
        Path file = dir.resolve("missing");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKeys.load(null, Map.of(SecretKeys.FILE_ENV, file.toString())))
                .withMessage("secret key file '" + file + "' (BULWARK_SECRET_KEY_FILE) does not exist; check the path"
                        + " and that the secret is mounted");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "q8Jx2vR7mZ0pL4tY9wK1nB6cF3hD5sG8aE2uI7oP4yT1rW6eQ9zX0vN3", // a key put into the wrong variable
                "5Kd/9x+Qk2LmN0pR4sT6uV8wX1yZ3aB5cD7eF9gH1iJ3kL5mN7oP9qR1sT3uV5w=", // `openssl rand -base64`
                "/Kd9xQk2LmN0pR4sT6uV8wX1yZ3aB5cD7eF9gH1iJ3kL5mN7oP9qR1sT3uV5w", // one leading slash only
            })
    void missingFileThatMightBeAKeyIsNotShown(String value) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKeys.load(null, Map.of(SecretKeys.FILE_ENV, value)))
                .withMessage("BULWARK_SECRET_KEY_FILE names a file that does not exist (the value is not shown in"
                        + " case it is the key itself); BULWARK_SECRET_KEY_FILE must hold a path and"
                        + " BULWARK_SECRET_KEY the key; check the path and that the secret is mounted");
    }

    @Test
    void directoryIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKeys.load(null, Map.of(SecretKeys.FILE_ENV, dir.toString())))
                .withMessageStartingWith("secret key file '" + dir + "' (BULWARK_SECRET_KEY_FILE) cannot be read: ")
                .withMessageEndingWith("; point BULWARK_SECRET_KEY_FILE at a readable file holding the key");
    }

    @Test
    void unreadableFileIsNamed() throws IOException {
        Path file = keyFile(FROM_FILE);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));
        assumeFalse(Files.isReadable(file), "running as root: permissions are not enforced");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKeys.load(null, Map.of(SecretKeys.FILE_ENV, file.toString())))
                .withMessage("secret key file '" + file + "' (BULWARK_SECRET_KEY_FILE) cannot be read: permission"
                        + " denied; let the application's user read it");
    }

    @Test
    void invalidPathIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKeys.load(null, Map.of(SecretKeys.FILE_ENV, "a\u0000b")))
                .withMessageStartingWith("BULWARK_SECRET_KEY_FILE is not a valid path (")
                .withMessageEndingWith(
                        "); set it to the path of a file holding the key, such as /run/secrets/bulwark_secret_key");
    }

    @Test
    void readFileUsesTheSameRulesWithoutNamingAVariable() throws IOException {
        assertThat(SecretKeys.readFile(keyFile(FROM_FILE + "\r\n"))).isEqualTo(SecretKey.of(FROM_FILE));
        Path empty = keyFile("");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKeys.readFile(empty))
                .withMessage("secret key file '" + empty + "' is empty; write the key into it (generate one with: "
                        + GENERATE + ")");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKeys.readFile(dir.resolve("none")))
                .withMessage("secret key file '" + dir.resolve("none") + "' does not exist; check the path and that"
                        + " the secret is mounted");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKeys.readFile(Path.of(STRONG)))
                .withMessage("the secret key file names a file that does not exist (the value is not shown in case it"
                        + " is the key itself); check the path and that the secret is mounted");
    }

    @Test
    void fallbacksAreParsedAndBlankEntriesNamed() {
        assertThat(SecretKeys.fallbacks(List.of(FROM_ENV + "\n", FROM_FILE)))
                .containsExactly(SecretKey.of(FROM_ENV), SecretKey.of(FROM_FILE));
        assertThat(SecretKeys.fallbacks(List.of())).isEmpty();
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKeys.fallbacks(List.of(FROM_ENV, " ")))
                .withMessage("bulwark.secret-key-fallbacks[1] must not be blank; remove the entry or set it to the"
                        + " retired key");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> SecretKeys.fallbacks(List.of(STRONG + "\n" + STRONG)))
                .withMessage("bulwark.secret-key-fallbacks[0] must hold the key on a single line, but it has several"
                        + " lines (is it the right file or value?)");
    }

    @Test
    void loadedKeyChecksItsComponents() {
        SecretKey key = SecretKey.of(STRONG);
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LoadedSecretKey(key, SecretKeySource.FILE, null, List.of()))
                .withMessage("file must be given exactly when the source is FILE, got source=FILE, file=null");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new LoadedSecretKey(key, SecretKeySource.ENVIRONMENT, Path.of("x"), List.of()));
        assertThat(SecretKeySource.PROPERTY.setting()).isEqualTo("bulwark.secret-key");
        assertThat(SecretKeySource.ENVIRONMENT.setting()).isEqualTo("BULWARK_SECRET_KEY");
        assertThat(SecretKeySource.FILE.setting()).isEqualTo("BULWARK_SECRET_KEY_FILE");
    }

    @Test
    void nullArgumentsAreRejected() {
        assertThatNullPointerException()
                .isThrownBy(() -> SecretKeys.load(null, null))
                .withMessage("env");
        assertThatNullPointerException()
                .isThrownBy(() -> SecretKeys.find(null, null))
                .withMessage("env");
        assertThatNullPointerException()
                .isThrownBy(() -> SecretKeys.readFile(null))
                .withMessage("file");
        assertThatNullPointerException()
                .isThrownBy(() -> SecretKeys.fallbacks(null))
                .withMessage("values");
        assertThatNullPointerException()
                .isThrownBy(() -> SecretKeys.fallbacks(Arrays.asList(STRONG, null)))
                .withMessage("bulwark.secret-key-fallbacks[1]");
        assertThatNullPointerException()
                .isThrownBy(() -> new LoadedSecretKey(null, SecretKeySource.PROPERTY, null, List.of()))
                .withMessage("key");
    }

    @Test
    void processEnvironmentIsTheDefault() {
        // the build does not set BULWARK_SECRET_KEY*, so the explicit value wins either way
        assertThat(SecretKeys.load(FROM_PROPERTY).key()).isEqualTo(SecretKey.of(FROM_PROPERTY));
    }
}
