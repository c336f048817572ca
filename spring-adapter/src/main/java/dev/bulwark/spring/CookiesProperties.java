package dev.bulwark.spring;

import dev.bulwark.core.headers.CookiePolicy;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Cookie hardening ({@code bulwark.cookies.*}).
 *
 * @param enabled Whether Bulwark hardens cookies
 * @param secure When to add Secure: auto (on secure requests, proxy-aware), always or never
 * @param httpOnly Whether to add HttpOnly
 * @param sameSite SameSite value added when a cookie has none: lax, strict, none (needs secure=always) or disabled
 * @param names Cookie names hardened besides the session cookie
 * @param allCookies Whether every cookie is hardened
 */
@ConfigurationProperties("bulwark.cookies")
public record CookiesProperties(
        @DefaultValue("true") boolean enabled,
        @DefaultValue("auto") CookiePolicy.SecureMode secure,
        @DefaultValue("true") boolean httpOnly,
        @DefaultValue("lax") String sameSite,
        @DefaultValue List<String> names,
        @DefaultValue("false") boolean allCookies) {}
