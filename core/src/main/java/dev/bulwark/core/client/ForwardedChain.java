package dev.bulwark.core.client;

import static dev.bulwark.core.client.ForwardedValues.skipOws;
import static dev.bulwark.core.client.ForwardedValues.trimOwsEnd;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The right-most part of a forwarded header ({@code X-Forwarded-For} or {@code Forwarded}), and the right-to-left walk
 * that finds the client in it. Immutable.
 *
 * @param text the header lines joined with {@code ", "}, cut to at most the configured number of characters from the
 *     right
 * @param truncated whether characters were cut from the left, so that the left-most element of {@code text} may be a
 *     fragment and must never be trusted
 */
record ForwardedChain(String text, boolean truncated) {

    /**
     * The result of a walk.
     *
     * @param client the resolved client address
     * @param position the position, counted from the right starting at 1, of the element that describes how the client
     *     reached us (it carries the matching scheme and host), or 0 when no element does and the request's own values
     *     apply
     * @param element for {@code Forwarded}, the parsed element at {@code position}, or {@code null}
     */
    record Walk(IpAddress client, int position, @Nullable ForwardedElement element) {}

    /**
     * Joins the right-most {@code maxLength} characters of the header lines, copying no more than that.
     *
     * @return the chain, or {@code null} when there is no header line
     */
    static @Nullable ForwardedChain of(List<String> lines, int maxLength) {
        int n = lines.size();
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            String line = lines.get(0);
            return line.length() <= maxLength
                    ? new ForwardedChain(line, false)
                    : new ForwardedChain(line.substring(line.length() - maxLength), true);
        }
        // walk back from the last line only as far as needed: a client may send many lines
        int first = n;
        long length = 0;
        while (first > 0 && length <= maxLength) {
            first--;
            length += lines.get(first).length() + (first < n - 1 ? 2 : 0);
        }
        boolean truncated = length > maxLength;
        long skip = truncated ? length - maxLength : 0;
        StringBuilder sb = new StringBuilder((int) Math.min(length, maxLength));
        for (int i = first; i < n; i++) {
            if (i > first) {
                skip = append(sb, ", ", skip);
            }
            skip = append(sb, lines.get(i), skip);
        }
        return new ForwardedChain(sb.toString(), truncated);
    }

    private static long append(StringBuilder sb, String part, long skip) {
        if (skip >= part.length()) {
            return skip - part.length();
        }
        sb.append(part, (int) skip, part.length());
        return 0;
    }

    /**
     * Walks {@code X-Forwarded-For} entries right to left: trusted entries are skipped, the first untrusted valid entry
     * is the client; a malformed entry stops the walk at the last trustworthy address, as do the hop limit and a
     * fragment cut off by truncation. When every entry is trusted, the left-most one is the client.
     */
    Walk walkXForwardedFor(IpAddress peer, TrustedProxies trusted, int maxHops) {
        String h = text;
        IpAddress last = peer;
        int lastPosition = 0;
        int hops = 0;
        int end = h.length();
        while (true) {
            int comma = h.lastIndexOf(',', end - 1);
            int start = skipOws(h, comma + 1, end);
            int stop = trimOwsEnd(h, start, end);
            if (start < stop) { // empty list elements are ignored (RFC 9110 section 5.6.1)
                if ((comma < 0 && truncated) || hops == maxHops) {
                    return new Walk(last, lastPosition, null);
                }
                hops++;
                IpAddress address = ForwardedValues.parseNode(h, start, stop);
                if (address == null) {
                    // written by a trusted hop, which could not name its client: the previous hop is the client
                    return new Walk(last, hops, null);
                }
                if (!trusted.contains(address)) {
                    return new Walk(address, hops, null);
                }
                last = address;
                lastPosition = hops;
            }
            if (comma < 0) {
                return new Walk(last, lastPosition, null);
            }
            end = comma;
        }
    }

    /**
     * Walks RFC 7239 {@code Forwarded} elements right to left, like {@link #walkXForwardedFor}. An element whose
     * {@code for} is missing, {@code unknown}, obfuscated or invalid stops the walk at the last trustworthy address but
     * still supplies the scheme and host (a trusted proxy wrote it); an element that does not parse stops the walk with
     * the previous element's.
     */
    Walk walkForwarded(IpAddress peer, TrustedProxies trusted, int maxHops) {
        String h = text;
        IpAddress last = peer;
        int lastPosition = 0;
        @Nullable ForwardedElement lastElement = null;
        ForwardedElement current = new ForwardedElement();
        int hops = 0;
        int end = h.length();
        while (true) {
            int comma = ForwardedElement.previousSeparator(h, end);
            if (comma == -2) {
                return new Walk(last, lastPosition, lastElement); // an unterminated quoted-string
            }
            int start = skipOws(h, comma + 1, end);
            int stop = trimOwsEnd(h, start, end);
            if (start < stop) {
                if ((comma < 0 && truncated) || hops == maxHops) {
                    return new Walk(last, lastPosition, lastElement);
                }
                hops++;
                if (!current.parse(h, start, stop)) {
                    return new Walk(last, lastPosition, lastElement);
                }
                IpAddress address = current.forAddress(h);
                if (address == null) {
                    return new Walk(last, hops, current);
                }
                if (!trusted.contains(address)) {
                    return new Walk(address, hops, current);
                }
                last = address;
                lastPosition = hops;
                ForwardedElement spare = lastElement == null ? new ForwardedElement() : lastElement;
                lastElement = current;
                current = spare;
            }
            if (comma < 0) {
                return new Walk(last, lastPosition, lastElement);
            }
            end = comma;
        }
    }
}
