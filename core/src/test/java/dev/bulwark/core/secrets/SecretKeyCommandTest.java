package dev.bulwark.core.secrets;

import static dev.bulwark.core.secrets.SecretKeyTest.STRONG;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretKeyCommandTest {

    private static final String NL = System.lineSeparator();

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        return run(new ByteArrayInputStream(new byte[0]), env, args);
    }

    private int run(InputStream in, Map<String, String> env, String... args) {
        out.reset();
        err.reset();
        return SecretKeyCommand.run(
                args,
                in,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                env);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void generatePrintsANewKeyOnOneLine() {
        assertThat(run(Map.of(), "generate")).isEqualTo(0);
        String first = out();
        assertThat(first).endsWith(NL);
        String key = first.strip();
        assertThat(key).matches("[A-Za-z0-9_-]{67}");
        assertThat(Base64.getUrlDecoder().decode(key)).hasSize(50);
        assertThat(SecretKey.of(key).strength().isStrong()).isTrue();
        assertThat(err()).isEmpty();
        run(Map.of(), "generate");
        assertThat(out().strip()).isNotEqualTo(key);
    }

    @Test
    void generateTakesNoArguments() {
        assertThat(run(Map.of(), "generate", "64")).isEqualTo(2);
        assertThat(err()).startsWith("error: generate takes no arguments" + NL + "usage: ");
        assertThat(out()).isEmpty();
    }

    @Test
    void fingerprintOfTheEnvironmentKey() {
        SecretKey key = SecretKey.of(STRONG);
        assertThat(run(Map.of(SecretKeys.ENV, STRONG), "fingerprint")).isEqualTo(0);
        assertThat(out()).isEqualTo(key.fingerprint() + NL);
        assertThat(err()).isEqualTo("key from BULWARK_SECRET_KEY" + NL);
    }

    @Test
    void fingerprintOfTheKeyFileNamedByTheEnvironment() throws IOException {
        Path file = Files.writeString(dir.resolve("key"), STRONG + "\n");
        assertThat(run(Map.of(SecretKeys.FILE_ENV, file.toString()), "fingerprint"))
                .isEqualTo(0);
        assertThat(out()).isEqualTo(SecretKey.of(STRONG).fingerprint() + NL);
        assertThat(err()).isEqualTo("key from BULWARK_SECRET_KEY_FILE (" + file + ")" + NL);
    }

    @Test
    void fingerprintOfAFile() throws IOException {
        Path file = Files.writeString(dir.resolve("key"), STRONG + "\r\n");
        assertThat(run(Map.of(SecretKeys.ENV, "other-" + STRONG), "fingerprint", "--file", file.toString()))
                .isEqualTo(0);
        assertThat(out()).isEqualTo(SecretKey.of(STRONG).fingerprint() + NL);
        assertThat(err()).isEqualTo("key from file " + file + NL);
    }

    @Test
    void fingerprintOfStandardInput() {
        InputStream in = new ByteArrayInputStream((STRONG + "\n").getBytes(StandardCharsets.UTF_8));
        assertThat(run(in, Map.of(), "fingerprint", "--stdin")).isEqualTo(0);
        assertThat(out()).isEqualTo(SecretKey.of(STRONG).fingerprint() + NL);
        assertThat(err()).isEqualTo("key from standard input" + NL);
    }

    @Test
    void fingerprintWarnsAboutAWeakKeyWithoutShowingIt() {
        assertThat(run(Map.of(SecretKeys.ENV, "change-me"), "fingerprint")).isEqualTo(0);
        assertThat(out()).isEqualTo(SecretKey.of("change-me").fingerprint() + NL);
        assertThat(err())
                .isEqualTo("key from BULWARK_SECRET_KEY" + NL
                        + "warning: the key is weak (has fewer than 50 characters; is or starts with a well-known"
                        + " placeholder such as 'change-me'); generate a new key with: java -cp bulwark-core.jar"
                        + " dev.bulwark.core.secrets.SecretKeyCommand generate" + NL);
    }

    @Test
    void fingerprintWithoutAKeyFails() {
        assertThat(run(Map.of(), "fingerprint")).isEqualTo(1);
        assertThat(out()).isEmpty();
        assertThat(err())
                .isEqualTo("error: no secret key configured: set BULWARK_SECRET_KEY or BULWARK_SECRET_KEY_FILE, or use"
                        + " --file PATH or --stdin" + NL);
    }

    @Test
    void fingerprintErrorsNameTheFileButNeverTheKey() throws IOException {
        Path missing = dir.resolve("missing");
        assertThat(run(Map.of(), "fingerprint", "--file", missing.toString())).isEqualTo(1);
        assertThat(err())
                .isEqualTo("error: secret key file '" + missing + "' does not exist; check the path and that the"
                        + " secret is mounted" + NL);

        assertThat(run(Map.of(SecretKeys.FILE_ENV, STRONG), "fingerprint")).isEqualTo(1);
        assertThat(err())
                .startsWith("error: BULWARK_SECRET_KEY_FILE names a file")
                .doesNotContain(STRONG);

        Path twoLines = Files.writeString(dir.resolve("two"), STRONG + "\n" + STRONG + "\n");
        assertThat(run(Map.of(), "fingerprint", "--file", twoLines.toString())).isEqualTo(1);
        assertThat(err()).contains("must hold the key on a single line").doesNotContain(STRONG);

        assertThat(run(new ByteArrayInputStream(new byte[0]), Map.of(), "fingerprint", "--stdin"))
                .isEqualTo(1);
        assertThat(err())
                .isEqualTo("error: standard input is empty; write the key into it (generate one with: java -cp"
                        + " bulwark-core.jar dev.bulwark.core.secrets.SecretKeyCommand generate)" + NL);

        assertThat(run(new ByteArrayInputStream(new byte[5000]), Map.of(), "fingerprint", "--stdin"))
                .isEqualTo(1);
        assertThat(err())
                .isEqualTo("error: standard input is larger than 4096 bytes; it must hold only the key (is it"
                        + " the right file?)" + NL);

        assertThat(run(Map.of(), "fingerprint", "--file", "a\u0000b")).isEqualTo(1);
        assertThat(err()).startsWith("error: --file is not a valid path: ");
    }

    @ParameterizedTest
    @ValueSource(strings = {"help", "--help", "-h"})
    void helpPrintsUsage(String arg) {
        assertThat(run(Map.of(), arg)).isEqualTo(0);
        assertThat(out())
                .startsWith("usage: java -cp bulwark-core.jar dev.bulwark.core.secrets.SecretKeyCommand <command>")
                .contains("  generate ")
                .contains("  fingerprint --file PATH ")
                .contains("bulwark-secret-key-fingerprint-v1:")
                .contains("exit status: 0 success, 1 error, 2 usage error");
        assertThat(err()).isEmpty();
    }

    @Test
    void missingOrUnknownArgumentsAreUsageErrors() {
        assertThat(run(Map.of())).isEqualTo(2);
        assertThat(err()).startsWith("error: missing command" + NL + "usage: ");
        assertThat(run(Map.of(), "rotate")).isEqualTo(2);
        assertThat(err()).startsWith("error: unknown command 'rotate'" + NL + "usage: ");
        assertThat(run(Map.of(), "fingerprint", "--file")).isEqualTo(2);
        assertThat(err()).startsWith("error: fingerprint takes no arguments, --file PATH or --stdin" + NL);
        assertThat(run(Map.of(), "fingerprint", "--stdin", "x")).isEqualTo(2);
        assertThat(run(Map.of(), "fingerprint", "--bogus")).isEqualTo(2);
        assertThat(out()).isEmpty();
    }

    @Test
    void nullArgumentsAreRejected() {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        InputStream in = new ByteArrayInputStream(new byte[0]);
        assertThatNullPointerException()
                .isThrownBy(() -> SecretKeyCommand.run(null, in, sink, sink, Map.of()))
                .withMessage("args");
        assertThatNullPointerException()
                .isThrownBy(() -> SecretKeyCommand.run(new String[0], null, sink, sink, Map.of()))
                .withMessage("in");
        assertThatNullPointerException()
                .isThrownBy(() -> SecretKeyCommand.run(new String[0], in, null, sink, Map.of()))
                .withMessage("out");
        assertThatNullPointerException()
                .isThrownBy(() -> SecretKeyCommand.run(new String[0], in, sink, null, Map.of()))
                .withMessage("err");
        assertThatNullPointerException()
                .isThrownBy(() -> SecretKeyCommand.run(new String[0], in, sink, sink, null))
                .withMessage("env");
    }
}
