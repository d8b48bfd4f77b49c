package io.readout.jobs.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * How the benchmarks time things side by side in one JVM, on a machine shared with other work:
 * every trial runs once untimed (JIT, native thread pools and Spark's code paths warm up), then
 * {@code repeats} rounds each run every trial once, in the same order, so a slow spell of the
 * machine hits all of them alike; each trial is reported as the median of its rounds. No Spark here.
 */
public final class SideBySide {
    private static final Logger LOG = LoggerFactory.getLogger(SideBySide.class);

    /**
     * One thing to time.
     *
     * @param warmUp what runs once, untimed, before the rounds (e.g. one epoch)
     * @param timed  one timed run; returns its figure (examples/s, seconds)
     */
    public record Trial(String name, DoubleSupplier warmUp, DoubleSupplier timed) {
    }

    private SideBySide() {
    }

    /**
     * Warms every trial up once, then runs {@code repeats} rounds of all trials in order.
     *
     * @return each trial's timed figures, in the order of {@code trials}
     */
    public static List<List<Double>> alternate(List<Trial> trials, int repeats) {
        for (Trial t : trials) {
            t.warmUp().getAsDouble();
        }
        List<List<Double>> figures = new ArrayList<>();
        trials.forEach(t -> figures.add(new ArrayList<>()));
        for (int r = 0; r < repeats; r++) {
            for (int i = 0; i < trials.size(); i++) {
                double figure = trials.get(i).timed().getAsDouble();
                figures.get(i).add(figure);
                LOG.info("{}, round {}: {}", trials.get(i).name(), r + 1, String.format(Locale.ROOT, "%.3f", figure));
            }
        }
        return figures;
    }

    /** Values rounded to {@code decimals}, separated by spaces: {@code "1069 1109"}. */
    public static String formatValues(List<Double> values, int decimals) {
        return String.join(" ", values.stream()
                .map(v -> String.format(Locale.ROOT, "%." + decimals + "f", v)).toList());
    }

    /** Appends one formatted line of a printed table (trailing blanks dropped). */
    public static void line(StringBuilder b, String format, Object... args) {
        b.append(String.format(Locale.ROOT, format, args).stripTrailing()).append(System.lineSeparator());
    }

    /** A value at {@code decimals} decimals, as the printed tables show it. */
    public static String fixed(double value, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    /** The median; the mean of the two middle values for an even count. */
    public static double median(List<Double> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("the median of no values");
        }
        List<Double> s = new ArrayList<>(values);
        s.sort(Comparator.naturalOrder());
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
