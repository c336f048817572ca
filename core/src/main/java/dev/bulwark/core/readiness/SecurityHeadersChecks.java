package dev.bulwark.core.readiness;

import dev.bulwark.core.headers.ContentSecurityPolicy;
import dev.bulwark.core.headers.HttpsRedirect;
import dev.bulwark.core.headers.SecurityHeadersPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Security header checks: {@code BW-H001} headers off, {@code BW-H002} HSTS off while the site is served over HTTPS,
 * {@code BW-H003} HSTS shorter than a year, {@code BW-H005} HSTS not preloaded, {@code BW-H006} no clickjacking protection, {@code BW-H007} no Content-Security-Policy, {@code BW-H008}
 * no {@code X-Content-Type-Options}, {@code BW-H009} no {@code Referrer-Policy}. Reads {@link SecurityHeadersPolicy}.
 * Preload without includeSubDomains (or under a year) cannot be configured at all: the policy refuses it at startup,
 * so that finding ({@code BW-H004}) is reserved. Stateless.
 */
public final class SecurityHeadersChecks implements ReadinessCheck {

    private static final Duration YEAR = Duration.ofDays(365);

    @Override
    public List<ReadinessFinding> check(ReadinessContext context) {
        List<ReadinessFinding> findings = new ArrayList<>();
        Optional<SecurityHeadersPolicy> found = context.component(SecurityHeadersPolicy.class);
        if (found.isEmpty()) {
            findings.add(ReadinessFinding.warning(
                    "BW-H001",
                    "security headers are switched off",
                    "enable them (bulwark.headers.enabled=true) unless a proxy adds HSTS, nosniff, frame and referrer"
                            + " headers"));
            return findings;
        }
        SecurityHeadersPolicy policy = found.get();
        boolean https = context.tls()
                || context.production()
                || context.component(HttpsRedirect.class).isPresent();
        Optional<SecurityHeadersPolicy.Hsts> hsts = policy.hsts();
        if (hsts.isEmpty()) {
            if (https) {
                findings.add(ReadinessFinding.warning(
                        "BW-H002",
                        "Strict-Transport-Security is off while the site is served over HTTPS",
                        "enable HSTS (bulwark.headers.hsts.enabled=true) so browsers never downgrade to HTTP"));
            }
        } else {
            SecurityHeadersPolicy.Hsts h = hsts.get();
            if (h.maxAge().compareTo(YEAR) < 0) {
                findings.add(ReadinessFinding.warning(
                        "BW-H003",
                        "HSTS max-age is " + h.maxAge().toSeconds() + " s, shorter than a year",
                        "raise bulwark.headers.hsts.max-age to 365d once HTTPS works everywhere"));
            }
            if (!h.preload()) {
                findings.add(ReadinessFinding.info(
                        "BW-H005",
                        "HSTS is not marked for preloading",
                        "once every subdomain serves HTTPS, set preload and submit the domain to hstspreload.org"));
            }
        }
        Map<String, String> headers = policy.headersFor("/", true);
        boolean frameAncestors = policy.contentSecurityPolicy()
                .map(ContentSecurityPolicy::directives)
                .map(d -> d.containsKey("frame-ancestors"))
                .orElse(false);
        if (!headers.containsKey("X-Frame-Options") && !frameAncestors) {
            findings.add(ReadinessFinding.warning(
                    "BW-H006",
                    "neither X-Frame-Options nor a CSP frame-ancestors directive is sent: pages can be framed "
                            + "(clickjacking)",
                    "keep bulwark.headers.frame-options=deny, or add frame-ancestors to the CSP"));
        }
        if (policy.contentSecurityPolicy().isEmpty()) {
            findings.add(ReadinessFinding.info(
                    "BW-H007",
                    "no Content-Security-Policy is sent",
                    "start with a report-only policy (bulwark.headers.content-security-policy-report-only) and "
                            + "enforce it when reports are clean"));
        }
        if (!headers.containsKey("X-Content-Type-Options")) {
            findings.add(ReadinessFinding.warning(
                    "BW-H008",
                    "X-Content-Type-Options: nosniff is not sent",
                    "enable bulwark.headers.content-type-options"));
        }
        if (!headers.containsKey("Referrer-Policy")) {
            findings.add(ReadinessFinding.warning(
                    "BW-H009",
                    "no Referrer-Policy is sent: full URLs leak to other sites",
                    "set bulwark.headers.referrer-policy=same-origin (or strict-origin-when-cross-origin)"));
        }
        return findings;
    }
}
