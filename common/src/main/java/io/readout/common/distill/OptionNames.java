package io.readout.common.distill;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** The lower-case names by which the options of this package's enums are written and parsed. */
final class OptionNames {

    private OptionNames() {
    }

    /** {@code KD} is written {@code kd}. */
    static String of(Enum<?> option) {
        return option.name().toLowerCase(Locale.ROOT);
    }

    /** The option of {@code type} written {@code name}; {@code what} names the option in the error. */
    static <E extends Enum<E>> E parse(Class<E> type, String name, String what) {
        for (E option : type.getEnumConstants()) {
            if (of(option).equals(name)) {
                return option;
            }
        }
        throw new IllegalArgumentException(what + " '" + name + "' is not one of "
                + Arrays.stream(type.getEnumConstants()).map(OptionNames::of).collect(Collectors.joining(", ")));
    }
}
