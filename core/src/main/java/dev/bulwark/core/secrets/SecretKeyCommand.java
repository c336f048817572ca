package dev.bulwark.core.secrets;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Command line for secret keys: {@code generate} prints a new key, {@code fingerprint} shows which key is configured
 * without revealing it.
 *
 * <pre>
 * java -cp bulwark-core.jar dev.bulwark.core.secrets.SecretKeyCommand generate
 * java -cp bulwark-core.jar dev.bulwark.core.secrets.SecretKeyCommand fingerprint [--file PATH | --stdin]
 * </pre>
 *
 * <p>{@code generate} prints {@value SecretKey#GENERATED_BYTES} bytes from {@link java.security.SecureRandom} as 67
 * characters of unpadded base64url, like Python's {@code secrets.token_urlsafe(50)}. {@code fingerprint} prints the
 * {@link SecretKey#fingerprint()} of the key in {@code BULWARK_SECRET_KEY} or the file named by {@code
 * BULWARK_SECRET_KEY_FILE} (the command cannot see Spring properties), of the file given with {@code --file}, or of
 * one line read from standard input with {@code --stdin}; standard output gets the fingerprint alone, standard error
 * the source and any weakness. Exit status: 0 on success, 1 on an error, 2 on a usage error.
 *
 * <p>Stateless and safe for concurrent use; {@link #run} takes its streams and environment as arguments so that it can
 * be tested without a process.
 */
public final class SecretKeyCommand {

    /** The command line that generates a key, quoted in messages that ask for one. */
    static final String GENERATE_COMMAND =
            "java -cp bulwark-core.jar dev.bulwark.core.secrets.SecretKeyCommand generate";

    /** Exit status of a successful run. */
    public static final int OK = 0;

    /** Exit status when the command failed, e.g. no key is configured or a file cannot be read. */
    public static final int ERROR = 1;

    /** Exit status of a usage error: missing, unknown or extra arguments. */
    public static final int USAGE = 2;

    static final String USAGE_TEXT = String.join(
            System.lineSeparator(),
            "usage: java -cp bulwark-core.jar dev.bulwark.core.secrets.SecretKeyCommand <command>",
            "",
            "commands:",
            "  generate                  print a new random secret key (50 bytes from SecureRandom, base64url)",
            "  fingerprint               print the fingerprint of the key in " + SecretKeys.ENV
                    + " or in the file named",
            "                            by " + SecretKeys.FILE_ENV,
            "  fingerprint --file PATH   print the fingerprint of the key in the file",
            "  fingerprint --stdin       print the fingerprint of the key read from standard input (one line)",
            "  help                      print this message",
            "",
            "A fingerprint is the first 12 hex digits of SHA-256(\"" + SecretKey.FINGERPRINT_PREFIX + "\" + key):",
            "it tells keys apart without revealing them.",
            "exit status: 0 success, 1 error, 2 usage error");

    private SecretKeyCommand() {}

    /** Runs the command with the process's streams and environment and exits with its status. */
    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err, System.getenv()));
    }

    /**
     * Runs the command.
     *
     * @param args the command line arguments
     * @param in standard input, read by {@code fingerprint --stdin}
     * @param out standard output: the key or the fingerprint, or the usage text for {@code help}
     * @param err standard error: messages, warnings and usage errors
     * @param env the environment, for {@code BULWARK_SECRET_KEY} and {@code BULWARK_SECRET_KEY_FILE}
     * @return the exit status: {@link #OK}, {@link #ERROR} or {@link #USAGE}
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        requireNonNull(args, "args");
        requireNonNull(in, "in");
        requireNonNull(out, "out");
        requireNonNull(err, "err");
        requireNonNull(env, "env");
        if (args.length == 0) {
            return usage(err, "missing command");
        }
        switch (args[0]) {
            case "generate":
                if (args.length != 1) {
                    return usage(err, "generate takes no arguments");
                }
                out.println(SecretKey.generateValue());
                return OK;
            case "fingerprint":
                return fingerprint(args, in, out, err, env);
            case "help":
            case "--help":
            case "-h":
                out.println(USAGE_TEXT);
                return OK;
            default:
                return usage(err, "unknown command '" + args[0] + "'");
        }
    }

    private static int fingerprint(
            String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        SecretKey key;
        String source;
        try {
            if (args.length == 1) {
                LoadedSecretKey loaded = SecretKeys.find(null, env).orElse(null);
                if (loaded == null) {
                    err.println("error: no secret key configured: set " + SecretKeys.ENV + " or " + SecretKeys.FILE_ENV
                            + ", or use --file PATH or --stdin");
                    return ERROR;
                }
                key = loaded.key();
                source = loaded.describeSource();
            } else if (args.length == 3 && args[1].equals("--file")) {
                Path path;
                try {
                    path = Path.of(args[2]);
                } catch (InvalidPathException e) {
                    err.println("error: --file is not a valid path: " + e.getReason());
                    return ERROR;
                }
                key = SecretKeys.readFile(path, null);
                source = "file " + path;
            } else if (args.length == 2 && args[1].equals("--stdin")) {
                byte[] content;
                try {
                    content = in.readNBytes(SecretKeys.MAX_FILE_BYTES + 1);
                } catch (IOException e) {
                    err.println("error: standard input cannot be read: " + e.getMessage());
                    return ERROR;
                }
                key = SecretKeys.parse(content, "standard input");
                source = "standard input";
            } else {
                return usage(err, "fingerprint takes no arguments, --file PATH or --stdin");
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            // messages of this package never include a key
            err.println("error: " + e.getMessage());
            return ERROR;
        }
        out.println(key.fingerprint());
        err.println("key from " + source);
        if (key.strength().isWeak()) {
            err.println("warning: " + key.strength().describe("the key"));
        }
        return OK;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("error: " + problem);
        err.println(USAGE_TEXT);
        return USAGE;
    }
}
