package dev.bulwark.spring;

import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/** Maps property values onto core builders, turning core's validation errors into property-named ones. */
final class Props {

    static final String DISABLED = "disabled";

    private Props() {}

    /** Runs a core call for a property; an {@link IllegalArgumentException} becomes a property-named failure. */
    static <T> T bind(String property, @Nullable Object value, Supplier<T> call) {
        try {
            return call.get();
        } catch (IllegalArgumentException e) {
            throw new InvalidBulwarkPropertyException(property, value, e.getMessage(), e);
        }
    }

    /** Runs a core call for a property, ignoring its result. */
    static void apply(String property, @Nullable Object value, Runnable call) {
        bind(property, value, () -> {
            call.run();
            return null;
        });
    }

    /** Returns whether a header-valued property is switched off ({@code disabled} or blank). */
    static boolean isDisabled(@Nullable String value) {
        return value == null || value.isBlank() || DISABLED.equalsIgnoreCase(value.trim());
    }

    /**
     * Parses a header token such as {@code same-origin} into the enum constant {@code SAME_ORIGIN}; {@code disabled}
     * gives {@code null}.
     */
    static <E extends Enum<E>> @Nullable E headerEnum(String property, @Nullable String value, Class<E> type) {
        if (isDisabled(value)) {
            return null;
        }
        String wanted = canonical(value);
        StringBuilder allowed = new StringBuilder();
        for (E constant : type.getEnumConstants()) {
            if (canonical(constant.name()).equals(wanted)) {
                return constant;
            }
            allowed.append(constant.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .append(", ");
        }
        throw new InvalidBulwarkPropertyException(
                property, value, "must be one of " + allowed + "or " + DISABLED, new IllegalArgumentException());
    }

    private static String canonical(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '-' && c != '_' && !Character.isWhitespace(c)) {
                sb.append(Character.toLowerCase(c));
            }
        }
        return sb.toString();
    }
}
