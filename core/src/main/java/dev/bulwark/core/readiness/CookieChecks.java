package dev.bulwark.core.readiness;

import dev.bulwark.core.headers.CookiePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cookie checks (Django W012/W016): {@code BW-C001} cookie hardening off, {@code BW-C002} cookies never marked
 * {@code Secure}, {@code BW-C003} {@code HttpOnly} not added, {@code BW-C004} {@code SameSite=None}. Reads
 * {@link CookiePolicy}. Stateless.
 */
public final class CookieChecks implements ReadinessCheck {

    @Override
    public List<ReadinessFinding> check(ReadinessContext context) {
        List<ReadinessFinding> findings = new ArrayList<>();
        Optional<CookiePolicy> found = context.component(CookiePolicy.class);
        if (found.isEmpty()) {
            findings.add(ReadinessFinding.warning(
                    "BW-C001",
                    "cookie hardening is switched off: session cookies may lack Secure, HttpOnly and SameSite",
                    "enable bulwark.cookies.enabled"));
            return findings;
        }
        CookiePolicy policy = found.get();
        if (policy.secure() == CookiePolicy.SecureMode.NEVER) {
            findings.add(ReadinessFinding.warning(
                    "BW-C002",
                    "cookies are never marked Secure: a session cookie can leak over plain HTTP",
                    "set bulwark.cookies.secure=auto (or always behind a TLS-terminating proxy)"));
        }
        if (!policy.httpOnly()) {
            findings.add(ReadinessFinding.warning(
                    "BW-C003",
                    "HttpOnly is not added: scripts (and XSS) can read session cookies",
                    "set bulwark.cookies.http-only=true"));
        }
        if (policy.sameSite() == CookiePolicy.SameSite.NONE) {
            findings.add(ReadinessFinding.warning(
                    "BW-C004",
                    "cookies are sent with SameSite=None: every cross-site request carries them (CSRF exposure)",
                    "use lax unless a cross-site embed really needs the cookie"));
        }
        return findings;
    }
}
