package dev.bulwark.spring;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * HTTPS redirect ({@code bulwark.https.*}).
 *
 * @param enabled Whether the HTTPS capability is available at all
 * @param redirect Whether plain-HTTP requests are redirected to HTTPS (301 for GET/HEAD, 308 otherwise); uses the
 *     proxy-aware scheme, so configure bulwark.client.trusted-proxies behind a TLS-terminating proxy
 * @param exemptPaths Path patterns never redirected (health endpoints by default)
 * @param canonicalHost Host every redirect points to; requests for other hosts are redirected too
 * @param port HTTPS port used in redirect locations
 */
@ConfigurationProperties("bulwark.https")
public record HttpsProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("false") boolean redirect,
        @DefaultValue({"/health/**", "/actuator/health/**"}) List<String> exemptPaths,
        @Nullable String canonicalHost,
        @DefaultValue("443") int port) {}
