package dev.bulwark.core.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class HealthResponseTest {

    private static final Instant T = Instant.parse("2026-03-01T10:15:30.123456Z");

    private static GroupResult failing() {
        Map<String, ProbeResult> checks = new LinkedHashMap<>();
        checks.put(
                "postgres",
                ProbeResult.down(new ConnectException("Connection refused to db.internal.corp:5432"))
                        .withTiming(Duration.ofNanos(12_500_000), T));
        checks.put(
                "redis",
                ProbeResult.up(Map.of("target", "redis://***@cache.internal:6379/0"))
                        .withTiming(Duration.ofMillis(3), T));
        return new GroupResult("readiness", Status.DOWN, checks, T);
    }

    @Test
    void healthJsonWithChecksShowsStatusTimingAndErrorClassOnly() {
        HealthResponse response = HealthResponse.render(failing(), HealthFormat.HEALTH_JSON, HealthDetails.CHECKS);

        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.contentType()).isEqualTo("application/health+json;charset=utf-8");
        Map<String, Object> json = TestJson.object(response.bodyText());
        assertThat(json).containsEntry("status", "fail");
        @SuppressWarnings("unchecked")
        Map<String, Object> checks = (Map<String, Object>) json.get("checks");
        assertThat(checks).containsOnlyKeys("postgres:responseTime", "redis:responseTime");
        @SuppressWarnings("unchecked")
        Map<String, Object> pg = ((List<Map<String, Object>>) checks.get("postgres:responseTime")).get(0);
        assertThat(pg)
                .containsEntry("status", "fail")
                .containsEntry("observedValue", 12.5)
                .containsEntry("observedUnit", "ms")
                .containsEntry("time", "2026-03-01T10:15:30.123Z")
                .containsEntry("output", "java.net.ConnectException")
                .doesNotContainKey("details");
        @SuppressWarnings("unchecked")
        Map<String, Object> redis = ((List<Map<String, Object>>) checks.get("redis:responseTime")).get(0);
        assertThat(redis).containsEntry("status", "pass").containsEntry("observedValue", 3.0);
        assertThat(redis).doesNotContainKeys("output", "details");
        assertThat(response.bodyText()).doesNotContain("db.internal", "cache.internal");
    }

    @Test
    void detailsNeverHidesChecksMessagesAndHosts() {
        HealthResponse response = HealthResponse.render(failing(), HealthFormat.HEALTH_JSON, HealthDetails.NEVER);

        assertThat(response.bodyText()).isEqualTo("{\"status\":\"fail\"}");
        assertThat(response.statusCode()).isEqualTo(503);
    }

    @Test
    void detailsWhenAuthorizedRendersAsNeverUnlessResolved() {
        HealthResponse anonymous =
                HealthResponse.render(failing(), HealthFormat.HEALTH_JSON, HealthDetails.WHEN_AUTHORIZED);
        HealthResponse authorized =
                HealthResponse.render(failing(), HealthFormat.HEALTH_JSON, HealthDetails.WHEN_AUTHORIZED.resolve(true));

        assertThat(anonymous.bodyText()).isEqualTo("{\"status\":\"fail\"}");
        assertThat(authorized.bodyText()).contains("db.internal.corp");
        assertThat(HealthDetails.WHEN_AUTHORIZED.resolve(false)).isEqualTo(HealthDetails.NEVER);
        assertThat(HealthDetails.CHECKS.resolve(true)).isEqualTo(HealthDetails.CHECKS);
    }

    @Test
    void detailsAlwaysShowsMessagesAndDetails() {
        HealthResponse response = HealthResponse.render(failing(), HealthFormat.HEALTH_JSON, HealthDetails.ALWAYS);

        Map<String, Object> json = TestJson.object(response.bodyText());
        @SuppressWarnings("unchecked")
        Map<String, Object> checks = (Map<String, Object>) json.get("checks");
        @SuppressWarnings("unchecked")
        Map<String, Object> pg = ((List<Map<String, Object>>) checks.get("postgres:responseTime")).get(0);
        assertThat(pg)
                .containsEntry("output", "java.net.ConnectException: Connection refused to db.internal.corp:5432");
        @SuppressWarnings("unchecked")
        Map<String, Object> redis = ((List<Map<String, Object>>) checks.get("redis:responseTime")).get(0);
        assertThat(redis).containsEntry("details", Map.of("target", "redis://***@cache.internal:6379/0"));
    }

    @ParameterizedTest
    @EnumSource(Status.class)
    void minimalBodyCarriesOnlyTheStatus(Status status) {
        GroupResult result = new GroupResult("readiness", status, failing().checks(), T);

        HealthResponse response = HealthResponse.render(result, HealthFormat.MINIMAL, HealthDetails.ALWAYS);

        assertThat(response.bodyText()).isEqualTo("{\"status\":\"" + status.name() + "\"}");
        assertThat(response.contentType()).isEqualTo("application/json;charset=utf-8");
        assertThat(response.statusCode()).isEqualTo(status == Status.DOWN ? 503 : 200);
    }

    @Test
    void warnIsServedWith200() {
        GroupResult warn = new GroupResult("readiness", Status.WARN, Map.of(), T);
        HealthResponse response = HealthResponse.render(warn, HealthFormat.HEALTH_JSON, HealthDetails.CHECKS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.bodyText()).isEqualTo("{\"status\":\"warn\"}");
    }

    @Test
    void hostileTextIsEscapedAndBounded() {
        String hostile = "quote\" backslash\\ newline\n cr\r tab\t nul\u0000 ls\u2028 é 😀";
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("k\"ey", hostile);
        details.put("long", "x".repeat(1000));
        details.put("n", 42L);
        details.put("ok", true);
        details.put("ratio", Double.NaN);
        GroupResult result = new GroupResult(
                "readiness",
                Status.WARN,
                Map.of("svc", ProbeResult.warn(hostile, details).withTiming(Duration.ZERO, T)),
                T);

        String body = HealthResponse.render(result, HealthFormat.HEALTH_JSON, HealthDetails.ALWAYS)
                .bodyText();

        Map<String, Object> json = TestJson.object(body);
        @SuppressWarnings("unchecked")
        Map<String, Object> svc =
                ((List<Map<String, Object>>) ((Map<String, Object>) json.get("checks")).get("svc:responseTime")).get(0);
        assertThat(svc).containsEntry("output", hostile);
        @SuppressWarnings("unchecked")
        Map<String, Object> parsed = (Map<String, Object>) svc.get("details");
        assertThat(parsed)
                .containsEntry("k\"ey", hostile)
                .containsEntry("n", 42.0)
                .containsEntry("ok", true);
        assertThat((String) parsed.get("long"))
                .hasSize(HealthResponse.MAX_TEXT + 1)
                .endsWith("…");
        assertThat(parsed).containsEntry("ratio", "<null>");
        assertThat(svc).containsEntry("observedValue", 0.0);
    }

    @Test
    void bodyIsCopied() {
        HealthResponse response = HealthResponse.render(failing(), HealthFormat.MINIMAL, HealthDetails.NEVER);
        response.body()[0] = 'X';
        assertThat(response.bodyText()).startsWith("{");
        assertThat(response).isEqualTo(HealthResponse.render(failing(), HealthFormat.MINIMAL, HealthDetails.NEVER));
    }

    @Test
    void resultDescriptionIsOneLowerCaseLine() {
        assertThat(ProbeResult.down(new ConnectException("Connection refused")).describe())
                .isEqualTo("connection refused");
        assertThat(ProbeResult.down("PING failed\nsecond line").describe()).isEqualTo("PING failed second line");
        assertThat(ProbeResult.down(new IllegalStateException()).describe())
                .isEqualTo("java.lang.IllegalStateException");
    }
}
