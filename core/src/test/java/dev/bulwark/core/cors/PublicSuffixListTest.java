package dev.bulwark.core.cors;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublicSuffixListTest {

    private static final PublicSuffixList SAMPLE = PublicSuffixList.parse(String.join(
            "\n",
            "// comment line",
            "",
            "com",
            "co.uk   trailing text is ignored",
            "  github.io",
            "*.ck",
            "!www.ck",
            "*.kawasaki.jp",
            "!city.kawasaki.jp",
            "公司.cn",
            "// ===END PRIVATE DOMAINS==="));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "com, true",
        "co.uk, true",
        "github.io, true",
        "example.com, false",
        "example.co.uk, false",
        "uk, true", // implicit default rule '*'
        "internal, true",
        "foo.ck, true", // wildcard rule
        "www.ck, false", // exception rule
        "a.foo.ck, false",
        "foo.kawasaki.jp, true",
        "city.kawasaki.jp, false",
        "xn--55qx5d.cn, true", // punycode of 公司.cn
        "example.xn--55qx5d.cn, false"
    })
    void appliesPlainWildcardAndExceptionRules(String host, boolean publicSuffix) {
        assertThat(SAMPLE.isPublicSuffix(host)).isEqualTo(publicSuffix);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "com, true",
        "co.uk, true",
        "github.io, true",
        "herokuapp.com, true",
        "s3.amazonaws.com, true",
        "foo.ck, true",
        "www.ck, false",
        "xn--55qx5d.cn, true",
        "example.com, false",
        "example.co.uk, false",
        "mysite.github.io, false",
        "example.org, false"
    })
    void bundledListKnowsIcannAndPrivateSuffixes(String host, boolean publicSuffix) {
        assertThat(PublicSuffixList.get().isPublicSuffix(host)).isEqualTo(publicSuffix);
    }
}
