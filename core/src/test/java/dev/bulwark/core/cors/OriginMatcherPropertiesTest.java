package dev.bulwark.core.cors;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import org.jspecify.annotations.Nullable;

/**
 * Compares the origin matcher with a deliberately naive reference: parse the origin with {@link URI}, insist that it
 * is nothing but {@code scheme://host[:port]} in lower case, and compare the components with the rule's.
 */
class OriginMatcherPropertiesTest {

    private static final List<String> SCHEMES = List.of("https", "http");
    private static final List<String> LABELS =
            List.of("example", "evil", "www", "a", "b-c", "api", "xn--e1a", "exa", "mple", "x1", "examplex");
    private static final List<String> TLDS = List.of("com", "net", "org");
    /** -1: no port; 0: any port ({@code :*}); else the port. */
    private static final List<Integer> PORTS = List.of(-1, -1, 0, 80, 443, 8080, 8443);

    /** A rule built from components, so the reference never parses the rule text. */
    record Rule(String scheme, String domain, boolean subdomains, int port) {
        String text() {
            return scheme + "://" + (subdomains ? "*." : "") + domain + (port == 0 ? ":*" : port > 0 ? ":" + port : "");
        }

        /** The port after normalization: the scheme's default port is the same as none. */
        int effectivePort() {
            int defaultPort = scheme.equals("https") ? 443 : 80;
            return port == defaultPort ? -1 : port;
        }
    }

    @Provide
    Arbitrary<String> domains() {
        Arbitrary<String> label = Arbitraries.of(LABELS);
        return Combinators.combine(label, Arbitraries.of(TLDS)).as((l, tld) -> l + "." + tld);
    }

    @Provide
    Arbitrary<Rule> rules() {
        return Combinators.combine(
                        Arbitraries.of(SCHEMES), domains(), Arbitraries.of(true, false), Arbitraries.of(PORTS))
                .as(Rule::new);
    }

    /**
     * How to build an origin near a rule: mostly the rule's own scheme, domain and port, with subdomains, a joiner that
     * may break the label boundary, and sometimes a mutation.
     */
    record Recipe(
            boolean otherScheme,
            List<String> subdomains,
            String joiner,
            @Nullable String otherDomain,
            @Nullable Integer otherPort,
            int mutation) {

        String apply(Rule rule) {
            String scheme = otherScheme ? (rule.scheme().equals("https") ? "http" : "https") : rule.scheme();
            String sub = subdomains.isEmpty() ? "" : String.join(".", subdomains) + ".";
            String domain = otherDomain != null ? otherDomain : rule.domain();
            int port = otherPort != null ? otherPort : rule.port();
            String origin = scheme + "://" + sub + joiner + domain + (port > 0 ? ":" + port : "");
            return mutation < 0
                    ? origin
                    : mutations(origin).get(mutation % mutations(origin).size());
        }
    }

    @Provide
    Arbitrary<Recipe> recipes() {
        Arbitrary<Boolean> otherScheme = Arbitraries.frequency(Tuple.of(5, false), Tuple.of(1, true));
        Arbitrary<List<String>> subdomains = Arbitraries.of(LABELS).list().ofMaxSize(2);
        Arbitrary<String> joiner = Arbitraries.frequency(Tuple.of(6, ""), Tuple.of(1, "-"), Tuple.of(1, "x"));
        Arbitrary<String> otherDomain = domains().injectNull(0.8);
        Arbitrary<Integer> otherPort = Arbitraries.of(PORTS).injectNull(0.7);
        Arbitrary<Integer> mutation = Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.just(-1)),
                Tuple.of(1, Arbitraries.integers().between(0, 100)));
        return Combinators.combine(otherScheme, subdomains, joiner, otherDomain, otherPort, mutation)
                .as(Recipe::new);
    }

    /** Ways an attacker, a proxy or a typo can turn an origin into something that must not match. */
    static List<String> mutations(String origin) {
        int hostStart = origin.indexOf("://") + 3;
        return List.of(
                origin.toUpperCase(Locale.ROOT),
                origin.substring(0, hostStart)
                        + Character.toUpperCase(origin.charAt(hostStart))
                        + origin.substring(hostStart + 1),
                origin + ".",
                origin + "/",
                origin + "/path",
                origin.substring(0, hostStart) + "user@" + origin.substring(hostStart),
                origin + ".evil.net",
                origin + "\r\n",
                " " + origin,
                origin.replace("://", ":/"),
                origin.replace("https://", "http://"),
                origin.replace("http://", "https://"));
    }

    @Property(tries = 1_000)
    void matcherAgreesWithReference(@ForAll("rules") Rule rule, @ForAll("recipes") Recipe recipe) {
        String origin = recipe.apply(rule);
        CorsPolicy policy = CorsPolicy.builder().allowedOrigins(rule.text()).build();
        boolean expected = reference(rule, origin);

        assertThat(policy.allowsOrigin(origin))
                .as("%s vs %s", rule.text(), origin)
                .isEqualTo(expected);
        Statistics.label("matches").collect(expected);
        Statistics.label("matches").coverage(coverage -> coverage.check(true).percentage(p -> p >= 7));
    }

    @Property(tries = 100)
    void exactOriginMatchesItselfAndNoMutation(@ForAll("rules") Rule rule) {
        Rule exact = new Rule(rule.scheme(), rule.domain(), false, rule.port() == 0 ? -1 : rule.port());
        String origin = exact.scheme() + "://" + exact.domain()
                + (exact.effectivePort() > 0 ? ":" + exact.effectivePort() : "");
        CorsPolicy policy = CorsPolicy.builder().allowedOrigins(exact.text()).build();

        assertThat(policy.allowsOrigin(origin)).as(origin).isTrue();
        mutations(origin).forEach(mutated -> {
            if (!mutated.equals(origin)) {
                assertThat(policy.allowsOrigin(mutated)).as(mutated).isFalse();
            }
        });
    }

    @Property(tries = 100)
    void subdomainPatternNeedsALabelBoundary(@ForAll("domains") String domain, @ForAll("domains") String prefix) {
        CorsPolicy policy =
                CorsPolicy.builder().allowedOrigins("https://*." + domain).build();

        assertThat(policy.allowsOrigin("https://" + domain)).isFalse();
        assertThat(policy.allowsOrigin("https://" + prefix.replace(".", "") + domain))
                .isFalse();
        assertThat(policy.allowsOrigin("https://" + prefix + "." + domain)).isTrue();
    }

    /** The naive reference: components compared after a strict parse. */
    static boolean reference(Rule rule, String origin) {
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            return false;
        }
        String scheme = uri.getScheme();
        String host = uri.getHost();
        if (scheme == null
                || host == null
                || uri.getRawUserInfo() != null
                || !uri.getRawPath().isEmpty()
                || uri.getRawQuery() != null
                || uri.getRawFragment() != null) {
            return false;
        }
        String rebuilt = scheme + "://" + host + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
        if (!rebuilt.equals(origin) || !origin.equals(origin.toLowerCase(Locale.ROOT))) {
            return false; // something else in the string, or not as browsers serialize
        }
        if (!scheme.equals(rule.scheme())) {
            return false;
        }
        boolean hostMatches = rule.subdomains()
                ? host.endsWith("." + rule.domain()) && !host.startsWith(".")
                : host.equals(rule.domain());
        if (!hostMatches) {
            return false;
        }
        return rule.port() == 0 || uri.getPort() == rule.effectivePort();
    }
}
