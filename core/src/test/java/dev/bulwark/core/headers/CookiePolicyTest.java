package dev.bulwark.core.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.bulwark.core.headers.CookiePolicy.SameSite;
import dev.bulwark.core.headers.CookiePolicy.SecureMode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CookiePolicyTest {

    private static final String SESSION = "JSESSIONID";

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "JSESSIONID=abc; Path=/ | true | JSESSIONID=abc; Path=/; Secure; HttpOnly; SameSite=Lax",
                "JSESSIONID=abc; Path=/ | false | JSESSIONID=abc; Path=/; HttpOnly; SameSite=Lax",
                "JSESSIONID=abc | true | JSESSIONID=abc; Secure; HttpOnly; SameSite=Lax",
                "JSESSIONID=abc; secure; httponly; samesite=Strict | true | JSESSIONID=abc; secure; httponly;"
                        + " samesite=Strict",
                "JSESSIONID=abc; SameSite=None | false | JSESSIONID=abc; SameSite=None; Secure; HttpOnly",
                "other=1; Path=/ | true | other=1; Path=/",
            })
    void hardensDefaultCookies(String in, boolean secure, String out) {
        assertThat(CookiePolicy.defaults().harden(in, secure, SESSION)).isEqualTo(out);
    }

    @Test
    void unchangedCookieIsTheSameInstance() {
        String value = "JSESSIONID=abc; Secure; HttpOnly; SameSite=Lax";
        assertThat(CookiePolicy.defaults().harden(value, true, SESSION)).isSameAs(value);
    }

    @Test
    void configuredNamesAndAllCookies() {
        CookiePolicy named =
                CookiePolicy.builder().cookieNames(List.of("remember-me")).build();
        assertThat(named.harden("remember-me=x", true, SESSION))
                .isEqualTo("remember-me=x; Secure; HttpOnly; SameSite=Lax");
        assertThat(named.harden("theme=dark", true, SESSION)).isEqualTo("theme=dark");
        CookiePolicy all = CookiePolicy.builder().allCookies(true).build();
        assertThat(all.harden("theme=dark", true, SESSION)).isEqualTo("theme=dark; Secure; SameSite=Lax");
        // a script-readable CSRF cookie keeps working under all-cookies: no HttpOnly added
        assertThat(all.harden("XSRF-TOKEN=abc; Path=/", true, SESSION))
                .isEqualTo("XSRF-TOKEN=abc; Path=/; Secure; SameSite=Lax");
        assertThat(all.harden("JSESSIONID=a", true, SESSION)).isEqualTo("JSESSIONID=a; Secure; HttpOnly; SameSite=Lax");
    }

    @Test
    void secureModes() {
        assertThat(CookiePolicy.builder().secure(SecureMode.ALWAYS).build().harden("JSESSIONID=a", false, SESSION))
                .contains("; Secure");
        assertThat(CookiePolicy.builder().secure(SecureMode.NEVER).build().harden("JSESSIONID=a", true, SESSION))
                .doesNotContain("Secure");
    }

    @Test
    void sameSiteNoneWithoutSecureAlwaysFailsAtBuild() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CookiePolicy.builder().sameSite(SameSite.NONE).build())
                .withMessage("cookie same-site=None requires secure=always (browsers reject SameSite=None cookies"
                        + " without Secure); set secure to always or choose same-site Lax or Strict, got secure=auto");
        assertThat(CookiePolicy.builder()
                        .sameSite(SameSite.NONE)
                        .secure(SecureMode.ALWAYS)
                        .build()
                        .harden("JSESSIONID=a", false, SESSION))
                .isEqualTo("JSESSIONID=a; Secure; HttpOnly; SameSite=None");
    }

    @Test
    void malformedCookieIsLeftAlone() {
        assertThat(CookiePolicy.builder().allCookies(true).build().harden("garbage", true, SESSION))
                .isEqualTo("garbage");
        assertThat(CookiePolicy.builder().allCookies(true).build().harden("; a=b", true, SESSION))
                .isEqualTo("; a=b");
    }

    @Test
    void invalidCookieNameIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CookiePolicy.builder().cookieNames(List.of("bad name")))
                .withMessage("cookie name must be an HTTP token: 'bad name'");
    }
}
