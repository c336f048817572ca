package dev.bulwark.core;

import static java.util.Objects.requireNonNull;

import dev.bulwark.core.internal.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * An anchored path pattern, matched against the whole request path without regular expressions.
 *
 * <p>Syntax: a pattern starts with {@code /} and is a list of segments separated by {@code /}. A segment is matched
 * literally and case-sensitively, except that {@code *} inside a segment matches any run of characters other than
 * {@code /} ({@code *.css}, {@code v*}), and a segment that is exactly {@code **} matches zero or more whole segments.
 * Examples: {@code /health/live} matches only that path; {@code /static/**} matches {@code /static}, {@code
 * /static/} and everything below; {@code /api/*}{@code /items} matches {@code /api/v1/items}.
 *
 * <p>Unlike Django's {@code SECURE_REDIRECT_EXEMPT} (unanchored regular expressions), a pattern can never match a
 * path merely because it contains the pattern somewhere.
 *
 * <p>Instances are immutable and safe for concurrent use; {@link #matches(String)} allocates nothing.
 */
public final class PathPattern {

    private static final String ANY_SEGMENTS = "**";

    private final String pattern;
    private final String[] segments;
    /** What every matching path starts with: the pattern up to its first wildcard (a quick first test). */
    private final String literalPrefix;

    private PathPattern(String pattern, String[] segments) {
        this.pattern = pattern;
        this.segments = segments;
        int star = pattern.indexOf('*');
        String prefix = star < 0 ? pattern : pattern.substring(0, star);
        if (star > 0 && pattern.startsWith("/**", star - 1)) {
            // '/static/**' also matches '/static'
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        this.literalPrefix = prefix;
    }

    /**
     * Parses a path pattern.
     *
     * @param pattern the pattern, starting with {@code /}
     * @return the compiled pattern
     * @throws IllegalArgumentException if the pattern is empty, does not start with {@code /}, contains a control
     *     character, whitespace, {@code ?} or {@code #}, or uses {@code **} inside a segment
     */
    public static PathPattern of(String pattern) {
        requireNonNull(pattern, "pattern");
        if (pattern.isEmpty() || pattern.charAt(0) != '/') {
            throw new IllegalArgumentException("path pattern must start with '/': '" + pattern + "'");
        }
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c <= 0x20 || c == 0x7f || c == '?' || c == '#') {
                throw new IllegalArgumentException(
                        "path pattern must not contain whitespace, control characters, '?' or '#': '"
                                + Checks.escape(pattern) + "'");
            }
        }
        List<String> parts = new ArrayList<>();
        int start = 1;
        while (true) {
            int slash = pattern.indexOf('/', start);
            String segment = slash < 0 ? pattern.substring(start) : pattern.substring(start, slash);
            if (segment.contains(ANY_SEGMENTS) && !segment.equals(ANY_SEGMENTS)) {
                throw new IllegalArgumentException(
                        "'**' must be a whole segment in path pattern '" + pattern + "' (use '/**' or '*')");
            }
            parts.add(segment);
            if (slash < 0) {
                break;
            }
            start = slash + 1;
        }
        return new PathPattern(pattern, parts.toArray(new String[0]));
    }

    /**
     * Parses each pattern.
     *
     * @throws IllegalArgumentException if any pattern is invalid
     */
    public static List<PathPattern> listOf(Iterable<String> patterns) {
        requireNonNull(patterns, "patterns");
        List<PathPattern> result = new ArrayList<>();
        for (String p : patterns) {
            result.add(of(p));
        }
        return List.copyOf(result);
    }

    /** Returns whether any of the patterns matches the path. */
    public static boolean anyMatches(List<PathPattern> patterns, String path) {
        for (int i = 0, n = patterns.size(); i < n; i++) {
            if (patterns.get(i).matches(path)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Returns whether this pattern matches the whole path.
     *
     * @param path a request path starting with {@code /}; anything else never matches
     */
    public boolean matches(String path) {
        if (path.isEmpty() || path.charAt(0) != '/' || !path.startsWith(literalPrefix)) {
            return false;
        }
        // Iterative glob over segments: '**' backtracks, like '*' in classic wildcard matching.
        int seg = 0;
        int pos = 1; // start of the current path segment
        int starSeg = -1;
        int starPos = -1;
        int len = path.length();
        while (true) {
            boolean pathDone = pos > len;
            if (seg < segments.length && ANY_SEGMENTS.equals(segments[seg])) {
                starSeg = seg++;
                starPos = pos;
                continue;
            }
            if (pathDone) {
                return seg == segments.length;
            }
            int end = path.indexOf('/', pos);
            if (end < 0) {
                end = len;
            }
            if (seg < segments.length && segmentMatches(segments[seg], path, pos, end)) {
                seg++;
                pos = end + 1;
                continue;
            }
            if (starSeg >= 0) {
                // let '**' swallow one more path segment
                int starEnd = path.indexOf('/', starPos);
                if (starEnd < 0) {
                    starPos = len + 1;
                } else {
                    starPos = starEnd + 1;
                }
                seg = starSeg + 1;
                pos = starPos;
                continue;
            }
            return false;
        }
    }

    private static boolean segmentMatches(String segment, String path, int from, int to) {
        int p = 0;
        int s = from;
        int star = -1;
        int mark = -1;
        int plen = segment.length();
        while (s < to) {
            if (p < plen && segment.charAt(p) == '*') {
                star = p++;
                mark = s;
            } else if (p < plen && segment.charAt(p) == path.charAt(s)) {
                p++;
                s++;
            } else if (star >= 0) {
                p = star + 1;
                s = ++mark;
            } else {
                return false;
            }
        }
        while (p < plen && segment.charAt(p) == '*') {
            p++;
        }
        return p == plen;
    }

    /** Returns the pattern as written. */
    @Override
    public String toString() {
        return pattern;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PathPattern other && pattern.equals(other.pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }
}
