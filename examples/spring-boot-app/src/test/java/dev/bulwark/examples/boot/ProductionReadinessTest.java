package dev.bulwark.examples.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.bulwark.core.readiness.ReadinessLevel;
import dev.bulwark.core.readiness.ReadinessReport;
import dev.bulwark.core.secrets.SecretKey;
import dev.bulwark.spring.ReadinessReporter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The example app passes its own production readiness report when started as the README documents: the prod profile
 * and a generated key in the environment. The profile sets fail-on to warning, so merely starting proves it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.MOCK)
@ActiveProfiles("prod")
class ProductionReadinessTest {

    @DynamicPropertySource
    static void secretKey(DynamicPropertyRegistry registry) {
        // stands for BULWARK_SECRET_KEY=$(java -cp bulwark-core.jar …SecretKeyCommand generate)
        registry.add("BULWARK_SECRET_KEY", () -> new String(SecretKey.generate().bytes(), StandardCharsets.UTF_8));
    }

    @Autowired
    ReadinessReporter reporter;

    @Test
    void productionProfilePassesWithoutWarnings() {
        assertThat(reporter.production()).isTrue();
        assertThat(reporter.failOn()).isEqualTo(ReadinessLevel.WARNING);
        ReadinessReport report = reporter.report();
        assertThat(report.reaches(ReadinessLevel.WARNING)).as(report.render()).isFalse();
        assertThat(report.findings()).allSatisfy(f -> assertThat(f.level()).isEqualTo(ReadinessLevel.INFO));
    }
}
