package dev.bulwark.core.readiness;

import dev.bulwark.core.secrets.KeyRing;
import dev.bulwark.core.secrets.KeyStrength;
import dev.bulwark.core.secrets.LoadedSecretKey;
import dev.bulwark.core.secrets.SecretKeySource;
import dev.bulwark.core.secrets.Weakness;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Secret key checks (Django W009/W025): {@code BW-S001} no key, {@code BW-S002} weak key, {@code BW-S003} placeholder
 * or insecure key, {@code BW-S004} weak fallback, {@code BW-S005} key configured in several places. Reads the
 * {@link KeyRing} and {@link LoadedSecretKey} components. Stateless.
 */
public final class SecretKeyChecks implements ReadinessCheck {

    private static final String GENERATE =
            "generate one with: java -cp bulwark-core.jar dev.bulwark.core.secrets.SecretKeyCommand generate";

    @Override
    public List<ReadinessFinding> check(ReadinessContext context) {
        List<ReadinessFinding> findings = new ArrayList<>();
        Optional<KeyRing> ring = context.component(KeyRing.class);
        if (ring.isEmpty()) {
            findings.add(ReadinessFinding.warning(
                    "BW-S001",
                    "no secret key is configured (bulwark.secret-key, BULWARK_SECRET_KEY or BULWARK_SECRET_KEY_FILE)",
                    GENERATE + ", and pass it through the environment or a secret file"));
            return findings;
        }
        KeyStrength current = ring.get().currentStrength();
        if (current.has(Weakness.PLACEHOLDER) || current.has(Weakness.INSECURE_PREFIX)) {
            findings.add(ReadinessFinding.error(
                    "BW-S003",
                    "the secret key is a placeholder or marked insecure: " + current.describe("bulwark.secret-key"),
                    GENERATE));
        } else if (current.isWeak()) {
            findings.add(ReadinessFinding.error(
                    "BW-S002", current.describe("bulwark.secret-key"), GENERATE + " (50 random bytes)"));
        }
        List<KeyStrength> fallbacks = ring.get().fallbackStrengths();
        for (int i = 0; i < fallbacks.size(); i++) {
            if (fallbacks.get(i).isWeak()) {
                findings.add(ReadinessFinding.warning(
                        "BW-S004",
                        fallbacks.get(i).describe("bulwark.secret-key-fallbacks[" + i + "]"),
                        "a weak fallback still verifies forged values: remove it once values signed with it expired"));
            }
        }
        context.component(LoadedSecretKey.class)
                .filter(loaded -> !loaded.ignored().isEmpty())
                .ifPresent(loaded -> findings.add(ReadinessFinding.info(
                        "BW-S005",
                        "the secret key comes from " + loaded.describeSource() + "; also set but ignored: "
                                + loaded.ignored().stream()
                                        .map(SecretKeySource::setting)
                                        .toList(),
                        "set the key in one place so that nobody rotates the ignored copy by mistake")));
        return findings;
    }
}
