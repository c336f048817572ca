package dev.bulwark.core.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.bulwark.core.Rejection;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RequestLimitsTest {

    @Test
    void defaultsAreTheSeedsAndTheDocumentedOnes() {
        RequestLimits limits = RequestLimits.defaults();
        assertThat(limits.maxBodySize()).isEqualTo(10L * 1024 * 1024);
        assertThat(limits.maxFormFields()).isEqualTo(1000);
        assertThat(limits.maxMultipartParts()).isEqualTo(50);
        assertThat(limits.maxUrlLength()).isEqualTo(8192);
        assertThat(limits.maxHeaderCount()).isEqualTo(100);
        assertThat(limits.maxHeaderSize()).isEqualTo(16384);
        assertThat(limits.bodySizeOverrides()).isEmpty();
        assertThat(limits)
                .hasToString("RequestLimits[body=10485760, formFields=1000, parts=50, url=8192, headers=100/16384]");
    }

    @Test
    void contentLengthIsCheckedAgainstTheFirstMatchingOverride() {
        RequestLimits limits = RequestLimits.builder()
                .maxBodySize(1000)
                .maxBodySize("/uploads/big/**", 1_000_000)
                .maxBodySize("/uploads/**", 10_000)
                .maxBodySize("/ping", 0)
                .build();
        assertThat(limits.checkContentLength("/x", 1000)).isSameAs(LimitDecision.ALLOWED);
        assertThat(limits.checkContentLength("/x", -1)).isSameAs(LimitDecision.ALLOWED);
        LimitDecision tooLarge = limits.checkContentLength("/x", 1001);
        assertThat(tooLarge.rejected()).isTrue();
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.limit()).isEqualTo(1000);
        assertThat(limits.checkContentLength("/uploads/a", 10_000).rejected()).isFalse();
        assertThat(limits.checkContentLength("/uploads/a", 10_001).limit()).isEqualTo(10_000);
        assertThat(limits.checkContentLength("/uploads/big/a", 999_999).rejected())
                .isFalse();
        assertThat(limits.checkContentLength("/ping", 1).rejected()).isTrue();
        assertThat(limits.maxBodySize("/uploads/big/x")).isEqualTo(1_000_000);
        assertThat(limits.bodySizeOverrides())
                .containsExactly(
                        Map.entry("/uploads/big/**", 1_000_000L),
                        Map.entry("/uploads/**", 10_000L),
                        Map.entry("/ping", 0L));
        // the same rejection every time: checks allocate nothing
        assertThat(limits.checkContentLength("/x", 5000)).isSameAs(tooLarge);
    }

    @Test
    void urlHeadersQueryAndPartsHaveTheirOwnStatuses() {
        RequestLimits limits = RequestLimits.builder()
                .maxUrlLength(10)
                .maxHeaderCount(3)
                .maxHeaderSize(100)
                .maxFormFields(2)
                .maxMultipartParts(1)
                .build();
        assertThat(limits.checkUrl(10).rejected()).isFalse();
        assertThat(limits.checkUrl(11).status()).isEqualTo(414);
        assertThat(limits.checkHeaders(3, 100).rejected()).isFalse();
        assertThat(limits.checkHeaders(4, 10).reason()).isEqualTo(LimitDecision.Reason.TOO_MANY_HEADERS);
        assertThat(limits.checkHeaders(4, 10).status()).isEqualTo(431);
        assertThat(limits.checkHeaders(1, 101).reason()).isEqualTo(LimitDecision.Reason.HEADERS_TOO_LARGE);
        assertThat(limits.checkQuery("a=1&b=2").rejected()).isFalse();
        assertThat(limits.checkQuery("a=1&&b=2&").rejected()).isFalse();
        assertThat(limits.checkQuery("a=1&b=2&c").status()).isEqualTo(400);
        assertThat(limits.checkQuery(null).rejected()).isFalse();
        assertThat(limits.checkParts(1).rejected()).isFalse();
        assertThat(limits.checkParts(2).reason()).isEqualTo(LimitDecision.Reason.TOO_MANY_MULTIPART_PARTS);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "''|0",
                "a|1",
                "a=1&b=2|2",
                "&&a&&b=&|2",
                "=|1",
                "a=1&b=%26&c|3",
            })
    void fieldsAreTheNonEmptySequencesBetweenAmpersands(String encoded, int fields) {
        assertThat(RequestLimits.countFields(encoded)).isEqualTo(fields);
    }

    @Test
    void bodyCounterStopsAtTheByteThatBreaksTheLimit() {
        BodyCounter counter = RequestLimits.builder().maxBodySize(10).build().bodyCounter("/", false, 0);
        byte[] chunk = new byte[4];
        assertThat(counter.add(chunk, 0, 4).rejected()).isFalse();
        assertThat(counter.add(chunk, 0, 4).rejected()).isFalse();
        assertThat(counter.add(chunk, 0, 2).rejected()).isFalse();
        assertThat(counter.bytes()).isEqualTo(10);
        LimitDecision decision = counter.add('x');
        assertThat(decision.reason()).isEqualTo(LimitDecision.Reason.BODY_TOO_LARGE);
        assertThat(counter.violation()).isSameAs(decision);
        assertThat(counter.add(chunk, 0, 0)).isSameAs(decision);
    }

    @Test
    void bodyCounterCountsFormFieldsAcrossChunksTogetherWithTheQuery() {
        BodyCounter counter = RequestLimits.builder().maxFormFields(3).build().bodyCounter("/", true, 1);
        byte[] first = "a=1&b".getBytes(StandardCharsets.US_ASCII);
        byte[] second = "=2&&".getBytes(StandardCharsets.US_ASCII);
        assertThat(counter.add(first, 0, first.length).rejected()).isFalse();
        assertThat(counter.add(second, 0, second.length).rejected()).isFalse();
        assertThat(counter.fields()).isEqualTo(3);
        LimitDecision decision = counter.add('c');
        assertThat(decision.reason()).isEqualTo(LimitDecision.Reason.TOO_MANY_FORM_FIELDS);
        assertThat(decision.rejection()).isEqualTo(Rejection.of("limits", "too_many_form_fields"));
    }

    @Test
    void rejectionsCarryAProblemDocument() throws Exception {
        LimitDecision decision = LimitDecision.rejected(LimitDecision.Reason.HEADERS_TOO_LARGE, 16384);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        decision.writeBody(out);
        String body = out.toString(StandardCharsets.UTF_8);
        assertThat(body)
                .isEqualTo(decision.body())
                .isEqualTo("{\"type\":\"about:blank\",\"title\":\"Request Header Fields Too Large\",\"status\":431,"
                        + "\"detail\":\"request header fields are larger than 16384 bytes in total\","
                        + "\"reason\":\"headers_too_large\",\"limit\":16384}");
        assertThat(decision.bodyLength()).isEqualTo(body.length());
        assertThat(LimitDecision.ALLOWED.rejection()).isNull();
        assertThat(LimitDecision.ALLOWED.status()).isZero();
    }

    static Stream<Arguments> invalidSettings() {
        return Stream.of(
                Arguments.of(
                        (Consumer<RequestLimits.Builder>) b -> b.maxBodySize(-1),
                        "max body size must not be negative: -1"),
                Arguments.of(
                        (Consumer<RequestLimits.Builder>) b -> b.maxBodySize("/up/**", -5),
                        "max body size for '/up/**' must not be negative: -5"),
                Arguments.of(
                        (Consumer<RequestLimits.Builder>) b -> b.maxBodySize("up", 5),
                        "path pattern must start with '/': 'up'"),
                Arguments.of(
                        (Consumer<RequestLimits.Builder>)
                                b -> b.maxBodySize("/a", 1).maxBodySize("/a", 2),
                        "a body size override for '/a' was already added"),
                Arguments.of(
                        (Consumer<RequestLimits.Builder>) b -> b.maxFormFields(-1),
                        "max form fields must not be negative: -1"),
                Arguments.of(
                        (Consumer<RequestLimits.Builder>) b -> b.maxMultipartParts(-1),
                        "max multipart parts must not be negative: -1"),
                Arguments.of(
                        (Consumer<RequestLimits.Builder>) b -> b.maxUrlLength(0),
                        "max url length must be at least 1: 0"),
                Arguments.of(
                        (Consumer<RequestLimits.Builder>) b -> b.maxHeaderCount(0),
                        "max header count must be at least 1: 0"),
                Arguments.of(
                        (Consumer<RequestLimits.Builder>) b -> b.maxHeaderSize(0),
                        "max header size must be at least 1: 0"));
    }

    @ParameterizedTest
    @MethodSource("invalidSettings")
    void invalidSettingsAreRejectedNamingTheSetting(Consumer<RequestLimits.Builder> setting, String message) {
        assertThatThrownBy(() -> setting.accept(RequestLimits.builder()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void toBuilderKeepsEverySetting() {
        RequestLimits limits = RequestLimits.builder()
                .maxBodySize(5)
                .maxBodySize("/a/**", 50)
                .maxFormFields(6)
                .maxMultipartParts(7)
                .maxUrlLength(8)
                .maxHeaderCount(9)
                .maxHeaderSize(10)
                .build();
        assertThat(limits.toBuilder().build()).hasToString(limits.toString());
        assertThat(limits.toBuilder().clearBodySizeOverrides().build().bodySizeOverrides())
                .isEmpty();
    }
}
