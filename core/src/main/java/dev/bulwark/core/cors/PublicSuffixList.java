package dev.bulwark.core.cors;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.IDN;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The Public Suffix List (https://publicsuffix.org/), reduced to one question: is this host a public suffix, a name
 * under which anyone can register a site ({@code com}, {@code co.uk}, {@code github.io})?
 *
 * <p>A wildcard origin on a public suffix would allow every site registered under it. The list ships as the resource
 * {@code public_suffix_list.dat} beside this class (Mozilla Public License 2.0; data, kept with its header) and is read
 * once, on first use, which happens only when a wildcard origin pattern is configured. ICANN and private sections both
 * count. Internationalized rules, written in Unicode in the list, are matched by converting punycode hosts to Unicode,
 * only when asked about one.
 *
 * <p>Algorithm (publicsuffix.org "formal algorithm", restricted to whole-name matches): a host is a public suffix when
 * no exception rule ({@code !www.ck}) names it and either a plain rule names it ({@code co.uk}), a wildcard rule covers
 * it ({@code *.ck} covers {@code foo.ck}), or it is a single label (the implicit default rule {@code *}).
 *
 * <p>Instances are immutable and safe for concurrent use.
 */
final class PublicSuffixList {

    static final String RESOURCE = "public_suffix_list.dat";

    private final Set<String> rules;
    /** For each rule {@code *.parent}, the parent. */
    private final Set<String> wildcards;

    private final Set<String> exceptions;

    private PublicSuffixList(Set<String> rules, Set<String> wildcards, Set<String> exceptions) {
        this.rules = Set.copyOf(rules);
        this.wildcards = Set.copyOf(wildcards);
        this.exceptions = Set.copyOf(exceptions);
    }

    private static final class Holder {
        static final PublicSuffixList INSTANCE = load();
    }

    /** Returns the bundled list, reading it on the first call. */
    static PublicSuffixList get() {
        return Holder.INSTANCE;
    }

    private static PublicSuffixList load() {
        try (InputStream in = PublicSuffixList.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the public suffix list resource is missing from the classpath: "
                        + PublicSuffixList.class.getPackageName().replace('.', '/') + "/" + RESOURCE);
            }
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the public suffix list", e);
        }
    }

    /**
     * Parses a list in the publicsuffix.org format: one rule per line (up to the first whitespace), {@code //}
     * comments, blank lines. Rules are kept as written, lower-cased; Unicode rules stay Unicode.
     */
    static PublicSuffixList parse(String text) {
        Set<String> rules = new HashSet<>(16_384);
        Set<String> wildcards = new HashSet<>();
        Set<String> exceptions = new HashSet<>();
        int len = text.length();
        int i = 0;
        while (i < len) {
            int eol = text.indexOf('\n', i);
            if (eol < 0) {
                eol = len;
            }
            int start = i;
            while (start < eol && Character.isWhitespace(text.charAt(start))) {
                start++;
            }
            int end = start;
            while (end < eol && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            i = eol + 1;
            if (end == start || text.startsWith("//", start)) {
                continue;
            }
            char first = text.charAt(start);
            if (first == '!') {
                exceptions.add(lower(text, start + 1, end));
            } else if (first == '*' && text.startsWith("*.", start)) {
                wildcards.add(lower(text, start + 2, end));
            } else {
                rules.add(lower(text, start, end));
            }
        }
        return new PublicSuffixList(rules, wildcards, exceptions);
    }

    private static String lower(String text, int from, int to) {
        return text.substring(from, to).toLowerCase(Locale.ROOT);
    }

    /**
     * Returns whether the host is a public suffix.
     *
     * @param host a lower-case ASCII domain without a trailing dot; punycode labels ({@code xn--}) are also looked up
     *     in their Unicode form, the form the list uses for internationalized rules
     */
    boolean isPublicSuffix(String host) {
        if (matches(host)) {
            return true;
        }
        if (host.contains("xn--")) {
            try {
                String unicode = IDN.toUnicode(host, IDN.ALLOW_UNASSIGNED);
                return !unicode.equals(host) && matches(unicode);
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }

    private boolean matches(String host) {
        if (exceptions.contains(host)) {
            return false;
        }
        if (rules.contains(host)) {
            return true;
        }
        int dot = host.indexOf('.');
        return dot < 0 || wildcards.contains(host.substring(dot + 1));
    }

    /** Returns the number of rules read, for tests. */
    int size() {
        return rules.size() + wildcards.size() + exceptions.size();
    }
}
