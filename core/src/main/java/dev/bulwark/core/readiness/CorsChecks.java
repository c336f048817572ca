package dev.bulwark.core.readiness;

import dev.bulwark.core.cors.Cors;
import dev.bulwark.core.cors.CorsPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * CORS checks for legal but risky settings: {@code BW-O001} any origin ({@code *}), {@code BW-O002} an origin regular
 * expression, {@code BW-O003} {@code http://} origins with credentials, {@code BW-O004} Private Network Access allowed.
 * Reads {@link Cors}. Stateless.
 */
public final class CorsChecks implements ReadinessCheck {

    @Override
    public List<ReadinessFinding> check(ReadinessContext context) {
        List<ReadinessFinding> findings = new ArrayList<>();
        context.component(Cors.class).ifPresent(cors -> {
            List<String> names = new ArrayList<>(cors.mappingNames());
            names.add(Cors.DEFAULT_POLICY_NAME);
            for (String name : names) {
                cors.policy(name).ifPresent(policy -> check(name, policy, findings));
            }
        });
        return findings;
    }

    private static void check(String name, CorsPolicy policy, List<ReadinessFinding> findings) {
        String where = "CORS policy '" + name + "'";
        if (policy.allowedOrigins().contains("*")) {
            findings.add(ReadinessFinding.warning(
                    "BW-O001",
                    where + " allows any origin (*): every site can read its responses",
                    "list the origins that need access; keep * only for public, unauthenticated data"));
        }
        if (policy.allowedOriginRegex().isPresent()) {
            findings.add(ReadinessFinding.warning(
                    "BW-O002",
                    where + " matches origins with a regular expression: an unanchored or loose pattern admits "
                            + "attacker domains",
                    "prefer exact origins or https://*.example.com patterns"));
        }
        if (policy.allowInsecureOrigins() && policy.allowCredentials()) {
            findings.add(ReadinessFinding.warning(
                    "BW-O003",
                    where + " accepts http:// origins with credentials: a network attacker can impersonate them",
                    "allow only https:// origins where credentials are sent"));
        }
        if (policy.allowPrivateNetwork()) {
            findings.add(ReadinessFinding.warning(
                    "BW-O004",
                    where + " allows Private Network Access: public sites may call this private service",
                    "disable allow-private-network unless public pages must reach it"));
        }
    }
}
