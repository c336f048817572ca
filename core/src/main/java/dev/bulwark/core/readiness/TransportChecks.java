package dev.bulwark.core.readiness;

import dev.bulwark.core.client.ClientAddressResolver;
import dev.bulwark.core.client.TrustedProxies;
import dev.bulwark.core.headers.HttpsRedirect;
import java.util.ArrayList;
import java.util.List;

/**
 * HTTPS and proxy checks: {@code BW-T001} no HTTPS redirect and no proxy that could do it, {@code BW-T002} no HTTPS
 * redirect behind a trusted proxy (make sure it redirects), {@code BW-P001} every address trusted as a proxy.
 * Forwarded headers arriving while no proxy is trusted ({@code BW-P002}) are reported at runtime by the client
 * identity filter. Reads {@link HttpsRedirect} and {@link ClientAddressResolver}. Stateless.
 */
public final class TransportChecks implements ReadinessCheck {

    @Override
    public List<ReadinessFinding> check(ReadinessContext context) {
        List<ReadinessFinding> findings = new ArrayList<>();
        TrustedProxies proxies = context.component(ClientAddressResolver.class)
                .map(ClientAddressResolver::trustedProxies)
                .orElse(TrustedProxies.none());
        if (context.component(HttpsRedirect.class).isEmpty()) {
            if (proxies.isEmpty()) {
                findings.add(ReadinessFinding.warning(
                        "BW-T001",
                        "plain-HTTP requests are not redirected to HTTPS, and no proxy is trusted to do it",
                        "set bulwark.https.redirect=true, or list your TLS-terminating proxy in "
                                + "bulwark.client.trusted-proxies and redirect there"));
            } else {
                findings.add(ReadinessFinding.info(
                        "BW-T002",
                        "HTTPS redirect is off; the trusted proxy " + proxies.entries() + " is expected to redirect",
                        "check that the proxy answers http:// with a redirect, or set bulwark.https.redirect=true"));
            }
        }
        if (proxies.trustsEverything()) {
            findings.add(ReadinessFinding.error(
                    "BW-P001",
                    "every address is a trusted proxy (" + proxies.entries() + "): any client can forge its address "
                            + "and scheme with X-Forwarded-For",
                    "list only your proxies' addresses or networks in bulwark.client.trusted-proxies"));
        }
        return findings;
    }
}
