package dev.bulwark.core.ratelimit.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bulwark.core.ratelimit.BucketKey;
import dev.bulwark.core.ratelimit.Consumption;
import dev.bulwark.core.ratelimit.RateLimitPolicy;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

/**
 * The Redis store over TLS ({@code rediss://}) against a real Redis 6.2 that listens on a TLS port only, with a
 * self-signed certificate for {@code 127.0.0.1} made at test time by the JDK's {@code keytool}: decisions are shared
 * through a URI with TLS options that trust the certificate (hostname verified), through an application's client that
 * trusts it, and through a URI that turns verification off; a plain {@code redis://} URI and a {@code rediss://} URI
 * that does not trust the certificate get no decision at all (so the TLS tests cannot pass by accident), and the
 * warning says why. Always an embedded server (whatever {@code BULWARK_TEST_REDIS_URL} says); skipped where
 * embedded-redis has no TLS-enabled {@code redis-server} (all but Linux on x86-64).
 */
class RedisBucketStoreTlsTest {

    private static final char[] PASSWORD = "bulwark-test".toCharArray();
    private static final AtomicInteger TEST_IDS = new AtomicInteger();

    @TempDir
    static Path dir;

    private static Path certificate;
    private static int port;
    private static RedisServer server;
    private static RedisClient adminClient;
    private static StatefulRedisConnection<String, String> admin;

    @BeforeAll
    static void startRedisOnTlsOnly() throws Exception {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        assumeTrue(
                os.startsWith("linux") && (arch.equals("amd64") || arch.equals("x86_64")),
                "embedded-redis ships a TLS-enabled redis-server for Linux x86-64 only, not for " + os + "/" + arch);
        certificate = dir.resolve("redis.crt");
        Path key = dir.resolve("redis.key");
        selfSignedCertificate(dir, certificate, key);
        port = TestRedis.freePort();
        server = RedisServer.newRedisServer()
                .port(0) // no plain-text listener at all
                .setting("tls-port " + port)
                .setting("tls-cert-file " + certificate)
                .setting("tls-key-file " + key)
                .setting("tls-ca-cert-file " + certificate)
                .setting("tls-auth-clients no")
                .setting("save \"\"")
                .setting("appendonly no")
                .build();
        server.start();
        adminClient = RedisClient.create(RedisURI.create(tlsUri()));
        adminClient.setOptions(ClientOptions.builder().sslOptions(trusting()).build());
        adminClient.setDefaultTimeout(Duration.ofSeconds(10));
        admin = adminClient.connect();
    }

    @AfterAll
    static void stopRedis() throws IOException {
        try {
            if (admin != null) {
                admin.close();
            }
            if (adminClient != null) {
                adminClient.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        } finally {
            if (server != null) {
                server.stop();
            }
        }
    }

    private static String tlsUri() {
        return "rediss://127.0.0.1:" + port;
    }

    /** Trusts the test's certificate, and only it; hostname verification stays on (the certificate names the IP). */
    private static SslOptions trusting() {
        return SslOptions.builder().trustManager(certificate.toFile()).build();
    }

    private static RedisCommands<String, String> admin() {
        return admin.sync();
    }

    private static String prefix() {
        return "bulwark:tls:" + ProcessHandle.current().pid() + ":" + TEST_IDS.incrementAndGet() + ":";
    }

    /** Calls the store {@code calls} times on one key of a 3-per-minute policy and returns how many were admitted. */
    private static int admitted(RedisBucketStore store, String client, int calls) {
        RateLimitPolicy policy = RateLimitPolicy.scope("tls").rates("3/min").build();
        int admitted = 0;
        for (int i = 0; i < calls; i++) {
            if (Consumption.isAllowed(store.tryConsume(BucketKey.name(policy, client), 1))) {
                admitted++;
            }
        }
        return admitted;
    }

    // ---------------------------------------------------------------------------------------------------- decisions

    @Test
    void storesWithTlsOptionsTrustingTheCertificateShareOneLimitOverTls() {
        String prefix = prefix();
        try (RedisBucketStore first = RedisBucketStore.builder()
                        .uri(tlsUri())
                        .sslOptions(trusting())
                        .keyPrefix(prefix)
                        .failureMode(FailureMode.CLOSED)
                        .timeout(Duration.ofSeconds(2))
                        .build();
                RedisBucketStore second = RedisBucketStore.builder()
                        .uri(tlsUri())
                        .sslOptions(trusting())
                        .keyPrefix(prefix)
                        .failureMode(FailureMode.CLOSED)
                        .timeout(Duration.ofSeconds(2))
                        .build()) {
            assertThat(admin().configGet("port")).containsEntry("port", "0"); // the server has no plain-text port
            assertThat(first.toString()).startsWith("RedisBucketStore[rediss://127.0.0.1:" + port + ",");
            // 3 per minute between them: the first takes 2, the second gets the last one
            assertThat(admitted(first, "erin", 2)).isEqualTo(2);
            assertThat(admitted(second, "erin", 3)).isEqualTo(1);
            assertThat(admitted(first, "erin", 1)).isZero();
            assertThat(first.stats().decisions() + second.stats().decisions()).isEqualTo(6);
            assertThat(first.stats().fallbacks() + second.stats().fallbacks()).isZero();
            assertThat(second.ping(Duration.ofSeconds(1)).up()).isTrue();
            assertThat(admin().exists(prefix + "tls:name:erin")).isEqualTo(1);
        }
    }

    @Test
    void anApplicationClientTrustingTheCertificateSharesDecisionsOverTls() {
        RedisClient app = RedisClient.create(RedisURI.create(tlsUri()));
        app.setOptions(ClientOptions.builder().sslOptions(trusting()).build());
        try (RedisBucketStore store = RedisBucketStore.builder()
                .client(app)
                .keyPrefix(prefix())
                .failureMode(FailureMode.CLOSED)
                .timeout(Duration.ofSeconds(2))
                .build()) {
            assertThat(admitted(store, "alice", 5)).isEqualTo(3);
            assertThat(store.stats().decisions()).isEqualTo(5);
            assertThat(store.stats().fallbacks()).isZero();
            assertThat(store.ping(Duration.ofSeconds(1)).up()).isTrue();
            // the bucket is in the TLS-only Redis, with the TTL of a bucket 3 tokens short (3 × 20 s)
            String key = store.keyPrefix() + "tls:name:alice";
            assertThat(admin().pttl(key)).isBetween(55_000L, 60_000L);
        } finally {
            app.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void aUriThatTurnsVerificationOffMakesDecisionsOverTls() {
        // Lettuce's verifyPeer=NONE: encrypted, but the server is not authenticated (a bare URI's only way to a
        // self-signed server short of the JVM-wide trust store)
        try (RedisBucketStore store = RedisBucketStore.builder()
                .uri(tlsUri() + "?verifyPeer=NONE")
                .keyPrefix(prefix())
                .failureMode(FailureMode.CLOSED)
                .timeout(Duration.ofSeconds(2))
                .build()) {
            assertThat(admitted(store, "bob", 5)).isEqualTo(3);
            assertThat(store.stats().decisions()).isEqualTo(5);
            assertThat(store.stats().fallbacks()).isZero();
            assertThat(admin().exists(store.keyPrefix() + "tls:name:bob")).isEqualTo(1);
        }
    }

    // ---------------------------------------------------------------------------------------------------- refusals

    @Test
    void aCertificateTheJvmDoesNotTrustGetsNoDecisionAndTheWarningSaysWhy() {
        BucketKey key =
                BucketKey.name(RateLimitPolicy.scope("tls").rates("3/min").build(), "carol");
        TestLog.Logged<RedisBucketStore> built = TestLog.during(() -> RedisBucketStore.builder()
                .uri(tlsUri())
                .keyPrefix(prefix())
                .failureMode(FailureMode.CLOSED)
                .connectTimeout(Duration.ofMillis(500))
                .coolDown(Duration.ofMinutes(1)) // no probe during the test: the breaker stays open
                .build());
        try (RedisBucketStore store = built.result()) {
            assertThat(built.log())
                    .contains("Redis rate-limit store at rediss://127.0.0.1:" + port + ": not reachable at startup")
                    // JDK 25 puts the alert first: "SSLHandshakeException: (certificate_unknown) PKIX path …"
                    .containsPattern(
                            "caused by SSLHandshakeException: (\\(certificate_unknown\\) )?PKIX path building failed");
            // failing closed: no call reaches Redis, so every answer is "unavailable"
            for (int i = 0; i < 3; i++) {
                assertThat(Consumption.isUnavailable(store.tryConsume(key, 1))).isTrue();
            }
            assertThat(store.stats().decisions()).isZero();
            assertThat(store.breakerState()).isEqualTo(BreakerState.OPEN);
            assertThat(store.ping(Duration.ofMillis(200)).up()).isFalse();
        }
    }

    @Test
    void aPlainUriAgainstTheTlsPortGetsNoDecision() {
        TestLog.Logged<RedisBucketStore> built = TestLog.during(() -> RedisBucketStore.builder()
                .uri("redis://127.0.0.1:" + port)
                .keyPrefix(prefix())
                .connectTimeout(Duration.ofMillis(500))
                .coolDown(Duration.ofMinutes(1))
                .build());
        try (RedisBucketStore store = built.result()) {
            // the TLS listener drops a client that does not speak TLS
            assertThat(built.log()).contains("not reachable at startup").contains("caused by ");
            // failing open: the limit of 3 is not enforced, since no call reached Redis
            assertThat(admitted(store, "dave", 5)).isEqualTo(5);
            assertThat(store.stats().decisions()).isZero();
            assertThat(store.stats().fallbacks()).isEqualTo(5);
            assertThat(store.breakerState()).isEqualTo(BreakerState.OPEN);
        }
    }

    // ---------------------------------------------------------------------------------------------------- certificate

    /**
     * Makes an EC key pair and a self-signed certificate for {@code 127.0.0.1} and {@code localhost} with the JDK's
     * {@code keytool} (no openssl needed), and writes them as PEM: the certificate, and the key in PKCS #8.
     */
    private static void selfSignedCertificate(Path work, Path certificatePem, Path keyPem) throws Exception {
        Path keystore = work.resolve("redis.p12");
        List<String> command = List.of(
                keytool(),
                "-genkeypair",
                "-alias",
                "redis",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "san=ip:127.0.0.1,dns:localhost",
                "-validity",
                "2",
                "-keystore",
                keystore.toString(),
                "-storetype",
                "PKCS12",
                "-storepass",
                new String(PASSWORD),
                "-keypass",
                new String(PASSWORD));
        Process keytool = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = keytool.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!keytool.waitFor(30, TimeUnit.SECONDS)) {
            keytool.destroyForcibly();
            throw new IllegalStateException("keytool did not finish within 30 s");
        }
        if (keytool.exitValue() != 0) {
            throw new IllegalStateException("keytool failed (" + keytool.exitValue() + "): " + output);
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD);
        }
        Files.writeString(
                certificatePem, pem("CERTIFICATE", store.getCertificate("redis").getEncoded()));
        Files.writeString(
                keyPem, pem("PRIVATE KEY", store.getKey("redis", PASSWORD).getEncoded()));
    }

    private static String keytool() {
        Path bin = Path.of(System.getProperty("java.home"), "bin");
        Path unix = bin.resolve("keytool");
        return Files.isExecutable(unix)
                ? unix.toString()
                : bin.resolve("keytool.exe").toString();
    }

    private static String pem(String type, byte[] der) {
        Base64.Encoder base64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
        return "-----BEGIN " + type + "-----\n" + base64.encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
