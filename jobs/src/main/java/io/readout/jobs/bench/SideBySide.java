package io.readout.jobs.bench;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.DoubleSupplier;

/**
 * How the benchmarks time things side by side in one JVM, on a machine shared with other work:
 * every trial runs untimed first (JIT, native thread pools and Spark's code paths warm up: once, or
 * {@link WarmUp until the JIT is quiet}), then {@code repeats} rounds each run every trial once, in
 * the same order, so a slow spell of the machine hits all of them alike; each trial is reported as
 * the median of its rounds, with the JIT compilation and GC pauses of this JVM during each run
 * ({@link JvmActivity}). No Spark here.
 */
public final class SideBySide {
    private static final Logger LOG = LoggerFactory.getLogger(SideBySide.class);

    /**
     * One thing to time.
     *
     * @param warmUp    what runs untimed before the rounds (e.g. one epoch)
     * @param timed     one timed run; returns its figure (examples/s, seconds)
     * @param inThisJvm whether it runs in this JVM, whose JIT it warms; false for a child process (PyTorch), which
     *                  warms up once only
     */
    public record Trial(String name, DoubleSupplier warmUp, DoubleSupplier timed, boolean inThisJvm) {
        public Trial(String name, DoubleSupplier warmUp, DoubleSupplier timed) {
            this(name, warmUp, timed, true);
        }
    }

    /**
     * How long the trials warm up: rounds of every warm-up (after the first, only the trials in this JVM) until one
     * in which this JVM's JIT compiled for at most {@code quietFraction} of the round's wall time, at least
     * {@code minRounds} and at most {@code maxRounds} of them.
     *
     * <p>Why: the JIT compiles a method with its optimizing compiler only after thousands of calls or loop turns,
     * and a training step's own methods run once per minibatch. On 2 cores a compiler thread that is still busy takes
     * CPU from the timed run, and Spark's code paths (a worker, a round's job) are warmed by Spark runs alone. After
     * a single warm-up epoch of the student (156 minibatches), the compiler was still busy for 3.1 s of a 3.9 s
     * Spark epoch and each later epoch ran faster (3,489 → 4,532 examples/s over six).
     */
    public record WarmUp(int minRounds, int maxRounds, double quietFraction) {
        /** One warm-up round, whatever the JIT does (the timed runs of seconds-long benchmarks). */
        public static final WarmUp ONCE = new WarmUp(1, 1, 0);
        /** The quiet JIT of {@link #untilQuiet}: compiling for at most 5 % of a round's wall time. */
        public static final double QUIET_FRACTION = 0.05;

        public WarmUp {
            if (minRounds < 1 || maxRounds < minRounds || !(quietFraction >= 0)) {
                throw new IllegalArgumentException("warm-up rounds " + minRounds + ".." + maxRounds
                        + ", quiet fraction " + quietFraction);
            }
        }

        /** Rounds until the JIT is quiet ({@link #QUIET_FRACTION}), at most {@code maxRounds}. */
        public static WarmUp untilQuiet(int maxRounds) {
            return new WarmUp(1, maxRounds, QUIET_FRACTION);
        }
    }

    /**
     * What this JVM spent besides the trial during one run or round, in milliseconds: its JIT compilers' time
     * (summed over compiler threads, so it can exceed the wall time) and its collectors' pauses.
     */
    public record JvmActivity(double jitMillis, double gcMillis) {
        JvmActivity minus(JvmActivity earlier) {
            return new JvmActivity(jitMillis - earlier.jitMillis, gcMillis - earlier.gcMillis);
        }
    }

    /** A cumulative {@link JvmActivity} of this JVM, read before and after each run. */
    @FunctionalInterface
    public interface JvmClock {
        JvmActivity now();

        /** This JVM's compilation time (0 where the JVM does not monitor it) and garbage-collection time. */
        JvmClock MANAGEMENT = () -> {
            var compilation = ManagementFactory.getCompilationMXBean();
            double jit = compilation != null && compilation.isCompilationTimeMonitoringSupported()
                    ? compilation.getTotalCompilationTime() : 0;
            double gc = 0;
            for (GarbageCollectorMXBean b : ManagementFactory.getGarbageCollectorMXBeans()) {
                gc += Math.max(0, b.getCollectionTime());
            }
            return new JvmActivity(jit, gc);
        };
    }

    /** One warm-up round: its wall time and what the JVM compiled and collected meanwhile. */
    public record WarmUpRound(double wallMillis, JvmActivity activity) {
        public double jitFraction() {
            return wallMillis > 0 ? activity.jitMillis() / wallMillis : 0;
        }
    }

    /**
     * The figures of {@link #measure}.
     *
     * @param figures  each trial's timed figures, in the order of the trials
     * @param activity each trial's {@link JvmActivity} per timed run, in the same order
     * @param warmUp   the warm-up rounds, in order
     */
    public record Measured(List<List<Double>> figures, List<List<JvmActivity>> activity, List<WarmUpRound> warmUp) {
    }

    private SideBySide() {
    }

    /**
     * Warms every trial up once, then runs {@code repeats} rounds of all trials in order.
     *
     * @return each trial's timed figures, in the order of {@code trials}
     */
    public static List<List<Double>> alternate(List<Trial> trials, int repeats) {
        return measure(trials, WarmUp.ONCE, repeats, JvmClock.MANAGEMENT).figures();
    }

    /**
     * Warms the trials up as {@code warmUp} says, then runs {@code repeats} rounds of all trials in order, reading
     * {@code clock} around every run.
     */
    public static Measured measure(List<Trial> trials, WarmUp warmUp, int repeats, JvmClock clock) {
        List<WarmUpRound> warmUpRounds = new ArrayList<>();
        for (int round = 1; round <= warmUp.maxRounds(); round++) {
            JvmActivity before = clock.now();
            long start = System.nanoTime();
            for (Trial t : trials) {
                if (round == 1 || t.inThisJvm()) {
                    t.warmUp().getAsDouble();
                }
            }
            WarmUpRound done = new WarmUpRound((System.nanoTime() - start) / 1e6, clock.now().minus(before));
            warmUpRounds.add(done);
            LOG.info("warm-up round {}: {} ms, JIT {} ms ({} of the wall time), GC {} ms", round,
                    fixed(done.wallMillis(), 0), fixed(done.activity().jitMillis(), 0), fixed(done.jitFraction(), 3),
                    fixed(done.activity().gcMillis(), 0));
            if (round >= warmUp.minRounds() && done.jitFraction() <= warmUp.quietFraction()) {
                break;
            }
        }
        List<List<Double>> figures = new ArrayList<>();
        List<List<JvmActivity>> activity = new ArrayList<>();
        trials.forEach(t -> {
            figures.add(new ArrayList<>());
            activity.add(new ArrayList<>());
        });
        for (int r = 0; r < repeats; r++) {
            for (int i = 0; i < trials.size(); i++) {
                JvmActivity before = clock.now();
                double figure = trials.get(i).timed().getAsDouble();
                JvmActivity during = clock.now().minus(before);
                figures.get(i).add(figure);
                activity.get(i).add(during);
                LOG.info("{}, round {}: {} (JIT {} ms, GC {} ms)", trials.get(i).name(), r + 1,
                        String.format(Locale.ROOT, "%.3f", figure), fixed(during.jitMillis(), 0),
                        fixed(during.gcMillis(), 0));
            }
        }
        return new Measured(figures, activity, warmUpRounds);
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
