package dev.bulwark.core.limits;

/**
 * Counts one request body while the application streams it: bytes against the body size limit and, for an {@code
 * application/x-www-form-urlencoded} body, fields against the form field limit. Nothing is buffered.
 *
 * <p>Obtained from {@link RequestLimits#bodyCounter}; one per request. Not thread-safe: a body is read by one thread
 * at a time (the servlet API's rule). Once a limit is broken, every later call returns the same rejection.
 */
public final class BodyCounter {

    private final long maxBytes;
    private final LimitDecision tooLarge;
    private final boolean countFields;
    private final int maxFields;
    private final LimitDecision tooManyFields;
    private long bytes;
    private int fields;
    private boolean inField;
    private LimitDecision violation = LimitDecision.ALLOWED;

    BodyCounter(
            long maxBytes,
            LimitDecision tooLarge,
            boolean countFields,
            int maxFields,
            LimitDecision tooManyFields,
            int fieldsSoFar) {
        this.maxBytes = maxBytes;
        this.tooLarge = tooLarge;
        this.countFields = countFields;
        this.maxFields = maxFields;
        this.tooManyFields = tooManyFields;
        this.fields = fieldsSoFar;
    }

    /**
     * Counts the next chunk of the body.
     *
     * @return {@link LimitDecision#ALLOWED} while the body so far is within the limits, else the limit it broke; the
     *     chunk that broke a limit must not be handed to the application
     */
    public LimitDecision add(byte[] buffer, int offset, int length) {
        if (violation.rejected()) {
            return violation;
        }
        if (length <= 0) {
            return LimitDecision.ALLOWED;
        }
        bytes += length;
        if (bytes > maxBytes) {
            return violation = tooLarge;
        }
        if (countFields) {
            boolean in = inField;
            int n = fields;
            for (int i = offset, end = offset + length; i < end; i++) {
                if (buffer[i] == '&') {
                    in = false;
                } else if (!in) {
                    in = true;
                    n++;
                }
            }
            inField = in;
            fields = n;
            if (n > maxFields) {
                return violation = tooManyFields;
            }
        }
        return LimitDecision.ALLOWED;
    }

    /** Counts one byte of the body; see {@link #add(byte[], int, int)}. */
    public LimitDecision add(int b) {
        if (violation.rejected()) {
            return violation;
        }
        if (++bytes > maxBytes) {
            return violation = tooLarge;
        }
        if (countFields) {
            if (b == '&') {
                inField = false;
            } else if (!inField) {
                inField = true;
                if (++fields > maxFields) {
                    return violation = tooManyFields;
                }
            }
        }
        return LimitDecision.ALLOWED;
    }

    /** Returns the bytes counted so far (including the chunk that broke a limit). */
    public long bytes() {
        return bytes;
    }

    /** Returns the fields counted so far, the query string's included; 0 unless fields are counted. */
    public int fields() {
        return fields;
    }

    /** Returns the body size limit this counter applies, in bytes. */
    public long maxBytes() {
        return maxBytes;
    }

    /** Returns the first limit broken, or {@link LimitDecision#ALLOWED}. */
    public LimitDecision violation() {
        return violation;
    }
}
