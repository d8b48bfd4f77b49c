package io.readout.jobs.flags;

import java.util.List;
import java.util.Locale;

/**
 * Flags named in a config file ({@code pipeline.json}'s sections, {@code sweep.json}'s {@code base} and
 * {@code space}) as command-line arguments: the one way both files turn a key and a JSON value into
 * {@code --name=value}.
 */
public final class FlagValues {
    private FlagValues() {
    }

    /**
     * A key as a long option's name without its dashes, in kebab-case: {@code --weight-decay},
     * {@code weight_decay} and {@code weightDecay} are all {@code weight-decay}.
     */
    public static String name(String key) {
        String k = key.strip();
        while (k.startsWith("-")) {
            k = k.substring(1);
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < k.length(); i++) {
            char c = k.charAt(i);
            if (c == '_') {
                b.append('-');
            } else if (Character.isUpperCase(c)) {
                if (i > 0 && b.charAt(b.length() - 1) != '-') {
                    b.append('-');
                }
                b.append(Character.toLowerCase(c));
            } else {
                b.append(c);
            }
        }
        return b.toString().toLowerCase(Locale.ROOT);
    }

    /** A JSON value as an argument's text: a list joined with commas, anything else as Java writes it. */
    public static String text(Object value) {
        if (value instanceof List<?> list) {
            return String.join(",", list.stream().map(String::valueOf).toList());
        }
        return String.valueOf(value);
    }

    /** {@code --name=text}, or {@code --name} for a switch that is on (text null). */
    public static String argument(String name, String text) {
        return text == null ? "--" + name : "--" + name + "=" + text;
    }
}
