package dev.bulwark.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.readiness.Readiness;
import dev.bulwark.core.readiness.ReadinessFinding;
import dev.bulwark.core.readiness.ReadinessReport;
import dev.bulwark.servlet.testing.Container;
import dev.bulwark.servlet.testing.Http;
import dev.bulwark.servlet.testing.Servlets;
import dev.bulwark.servlet.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The readiness report of a plain servlet installation, and the finding only a running server can make. */
class ReadinessOnServerTest {

    @ParameterizedTest
    @EnumSource(Container.class)
    void forwardedHeadersWithNoTrustedProxyAreReportedOnce(Container container) {
        BulwarkConfig config = BulwarkConfig.builder().build();
        try (TestServer server = TestServer.builder(container)
                .install(ctx -> Bulwark.install(ctx, config))
                .servlet("/*", Servlets.text("ok"))
                .start()) {
            assertThat(Http.get(server.uri("/")).status()).isEqualTo(200);
            assertThat(config.runtimeFindings().seen("BW-P002")).isFalse();
            for (int i = 0; i < 3; i++) {
                Http.send("GET", server.uri("/"), Map.of("X-Forwarded-For", "203.0.113.9"), null);
            }
            ReadinessReport report = Bulwark.readiness(config, Readiness.builder(), true, false);
            assertThat(report.findings())
                    .filteredOn(f -> f.id().equals("BW-P002"))
                    .singleElement()
                    .extracting(ReadinessFinding::message)
                    .asString()
                    .startsWith("requests arrive with X-Forwarded-For but no proxy is trusted");
            // defaults: no rate limiting, no redirect, no key (a servlet app has no key component)
            assertThat(report.findings()).extracting(ReadinessFinding::id).contains("BW-R001", "BW-T001");
        }
    }

    @ParameterizedTest
    @EnumSource(Container.class)
    void withATrustedProxyForwardedHeadersAreExpected(Container container) {
        BulwarkConfig config = BulwarkConfig.builder()
                .clientAddressResolver(ClientAddressResolver.builder()
                        .trustedProxies(List.of("127.0.0.1"))
                        .build())
                .build();
        try (TestServer server = TestServer.builder(container)
                .install(ctx -> Bulwark.install(ctx, config))
                .servlet("/*", Servlets.text("ok"))
                .start()) {
            Http.send("GET", server.uri("/"), Map.of("X-Forwarded-For", "203.0.113.9"), null);
            assertThat(config.runtimeFindings().seen("BW-P002")).isFalse();
        }
    }
}
