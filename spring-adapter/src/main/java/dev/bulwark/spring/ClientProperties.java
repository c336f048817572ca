package dev.bulwark.spring;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Client identity behind proxies ({@code bulwark.client.*}).
 *
 * @param enabled Whether Bulwark resolves the client behind trusted proxies
 * @param trustedProxies Proxies whose forwarded headers are believed, as IP addresses or CIDR blocks (IPv4 and IPv6);
 *     none by default, so forwarded headers are ignored until configured
 * @param maxHops Maximum number of forwarded hops examined, right to left
 * @param useForwardedHeader Whether the RFC 7239 Forwarded header is read (and preferred over X-Forwarded-For); turn on only when every trusted proxy writes Forwarded itself
 */
@ConfigurationProperties("bulwark.client")
public record ClientProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue List<String> trustedProxies,
        @DefaultValue("20") int maxHops,
        @DefaultValue("false") boolean useForwardedHeader) {}
