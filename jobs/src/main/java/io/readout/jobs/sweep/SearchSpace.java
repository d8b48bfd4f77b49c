package io.readout.jobs.sweep;

import io.readout.common.Seeds;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The configs a sweep draws from: the cartesian product of each flag's values. Point {@code i} is
 * {@code i} in mixed radix over the flags in the order {@code sweep.json} lists them, the last flag
 * varying fastest, so the grid is {@code point(0), point(1), ...}. Random search takes distinct points
 * from a stream seeded by the sweep's seed; the first k draws of n are the draws of k, so raising
 * {@code trials} later keeps the trials already run.
 */
public final class SearchSpace {
    /** Spaces up to this size are sampled by a seeded permutation of all points, larger ones by rejection. */
    static final long PERMUTATION_LIMIT = 1_000_000;

    private final List<String> flags;
    private final List<List<FlagValue>> values;
    private final long size;

    public SearchSpace(Map<String, List<FlagValue>> space) {
        this.flags = List.copyOf(space.keySet());
        this.values = new ArrayList<>();
        long n = 1;
        for (List<FlagValue> v : space.values()) {
            values.add(List.copyOf(v));
            n = multiplyOrMax(n, v.size());
        }
        this.size = n;
    }

    /** How many distinct configs the space holds ({@link Long#MAX_VALUE} when it is larger). */
    public long size() {
        return size;
    }

    public List<String> flags() {
        return flags;
    }

    /** The config at {@code index} of the grid: flag → value, in the flags' order. */
    public Map<String, FlagValue> point(long index) {
        FlagValue[] chosen = new FlagValue[flags.size()];
        long rest = index;
        for (int k = flags.size() - 1; k >= 0; k--) {
            int n = values.get(k).size();
            chosen[k] = values.get(k).get((int) (rest % n));
            rest /= n;
        }
        Map<String, FlagValue> m = new LinkedHashMap<>();
        for (int k = 0; k < chosen.length; k++) {
            m.put(flags.get(k), chosen[k]);
        }
        return m;
    }

    /** Every config, in grid order (a sweep's grid holds at most {@link SweepSpec#MAX_TRIALS}). */
    public List<Map<String, FlagValue>> grid() {
        List<Map<String, FlagValue>> grid = new ArrayList<>();
        for (long i = 0; i < size; i++) {
            grid.add(point(i));
        }
        return grid;
    }

    /** {@code trials} distinct configs drawn with the seed (all of them, in a seeded order, when the space is smaller). */
    public List<Map<String, FlagValue>> sample(int trials, long seed) {
        Random random = Seeds.random(seed, "sweep/random");
        int n = (int) Math.min(trials, size);
        List<Map<String, FlagValue>> drawn = new ArrayList<>(n);
        if (size <= PERMUTATION_LIMIT) {
            int[] order = Seeds.permutation((int) size, random);
            for (int i = 0; i < n; i++) {
                drawn.add(point(order[i]));
            }
            return drawn;
        }
        // A space this large holds at most one in a hundred configs among MAX_TRIALS draws: repeats are rare.
        Set<List<Integer>> seen = new HashSet<>();
        while (drawn.size() < n) {
            List<Integer> choice = new ArrayList<>(flags.size());
            for (List<FlagValue> v : values) {
                choice.add(random.nextInt(v.size()));
            }
            if (seen.add(choice)) {
                Map<String, FlagValue> m = new LinkedHashMap<>();
                for (int k = 0; k < flags.size(); k++) {
                    m.put(flags.get(k), values.get(k).get(choice.get(k)));
                }
                drawn.add(m);
            }
        }
        return drawn;
    }

    private static long multiplyOrMax(long a, long b) {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }
}
