/**
 * Production readiness: Bulwark's {@code manage.py check --deploy}. Each capability contributes
 * {@link dev.bulwark.core.readiness.ReadinessCheck}s that inspect its configured component and report
 * {@link dev.bulwark.core.readiness.ReadinessFinding}s with stable ids ({@code BW-…}), levels, messages and hints;
 * {@link dev.bulwark.core.readiness.Readiness} runs them into a {@link dev.bulwark.core.readiness.ReadinessReport},
 * which can fail startup at a chosen level. {@link dev.bulwark.core.readiness.RuntimeFindings} collects problems seen
 * while serving (reported once).
 *
 * <p>Built-in checks and their ids: secret key ({@code BW-S001}–{@code S005}), security headers ({@code BW-H001}–
 * {@code H009}; {@code H004} is refused at startup instead), HTTPS and proxies ({@code BW-T001}, {@code T002}, {@code BW-P001}, {@code P002} at runtime), cookies
 * ({@code BW-C001}–{@code C004}), CORS ({@code BW-O001}–{@code O004}), rate limiting ({@code BW-R001}, {@code R002}), request limits ({@code BW-L001}, {@code L002}); the servlet module adds
 * health endpoints ({@code BW-E001}–{@code E003}).
 */
@NullMarked
package dev.bulwark.core.readiness;

import org.jspecify.annotations.NullMarked;
