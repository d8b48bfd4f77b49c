package io.readout.jobs.sweep;

import io.readout.jobs.flags.FlagValues;
import io.readout.jobs.flags.JobFlags;
import io.readout.jobs.train.TrainConfig;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One trial of a sweep: its id (its place in the grid or among the random draws), the values of the
 * searched flags, the train arguments (base flags, then the trial's values, then the trial's run
 * folder and the sweep's selection) and the config they parse to.
 */
public record Trial(int id, Map<String, FlagValue> values, List<String> args, TrainConfig config) {
    public Trial {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        args = List.copyOf(args);
    }

    /** The run folder's name under {@code OUT/trials/}: {@code trial=NNNN}. */
    public String dirName() {
        return dirName(id);
    }

    public static String dirName(int id) {
        return "trial=" + label(id);
    }

    /** {@code 0003}. */
    public String label() {
        return label(id);
    }

    public static String label(int id) {
        return String.format(Locale.ROOT, "%04d", id);
    }

    /** {@code lr=0.01 epochs=2}. */
    public String describe() {
        return describe(values);
    }

    static String describe(Map<String, FlagValue> values) {
        List<String> parts = new ArrayList<>();
        values.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(" ", parts);
    }

    /** The command that trains this trial by hand. */
    public String commandLine() {
        return "readout train " + String.join(" ", args);
    }

    /**
     * The train arguments of flags (base merged with a trial's values): {@code --name=value}, a switch
     * as {@code --name} when true and left out when false.
     *
     * @throws IllegalArgumentException naming the flag when a switch is given a value other than true/false
     */
    static List<String> arguments(Map<String, FlagValue> flags, JobFlags<?> train) {
        List<String> args = new ArrayList<>();
        flags.forEach((name, value) -> {
            if (train.isSwitch("--" + name)) {
                if (!(value.value() instanceof Boolean on)) {
                    throw new IllegalArgumentException("--" + name + " is a switch: give true or false, not " + value);
                }
                if (on) {
                    args.add(FlagValues.argument(name, null));
                }
            } else {
                args.add(FlagValues.argument(name, FlagValues.text(value.value())));
            }
        });
        return args;
    }
}
