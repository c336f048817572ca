package dev.bulwark.spring;

import dev.bulwark.core.headers.SecurityHeadersPolicy;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/**
 * Turns off Spring Security's {@code X-Frame-Options} writer when Bulwark sends that header.
 *
 * <p>Every other Spring Security header writer skips a header that is already present, so Bulwark's values (written
 * first) win. Its frame-options writer alone calls {@code setHeader} unconditionally, which would replace Bulwark's
 * {@code SAMEORIGIN} or per-path value with {@code DENY}. This post-processor disables that one writer on each {@link
 * HttpSecurity} before the application configures it; an application that configures {@code frameOptions(..)}
 * explicitly re-enables it, and its choice then wins.
 */
final class SpringSecurityFrameOptionsPostProcessor implements BeanPostProcessor {

    private final ObjectProvider<SecurityHeadersPolicy> policy;

    SpringSecurityFrameOptionsPostProcessor(ObjectProvider<SecurityHeadersPolicy> policy) {
        this.policy = policy;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) throws BeansException {
        if (bean instanceof HttpSecurity http) {
            SecurityHeadersPolicy headers = policy.getIfAvailable();
            if (headers != null && headers.slotOf("X-Frame-Options") >= 0) {
                try {
                    http.headers(h -> h.frameOptions(frame -> frame.disable()));
                } catch (Exception e) { // Spring Security 6 declares Exception; 7 does not
                    throw new IllegalStateException("cannot hand X-Frame-Options over to Bulwark", e);
                }
            }
        }
        return bean;
    }
}
