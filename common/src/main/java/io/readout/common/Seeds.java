package io.readout.common;

import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * Independent, reproducible random streams derived from one configured seed. Each purpose
 * ("dominoes/val-holdout", "synthetic/noise", …) gets its own stream, so changing one choice
 * (say rho) does not move the draws of another (say the validation hold-out).
 */
public final class Seeds {
    private Seeds() {
    }

    /** A seed for {@code purpose} derived from {@code seed} (SplitMix64 over the seed and an FNV-1a hash of the purpose). */
    public static long derive(long seed, String purpose) {
        long h = 0xcbf29ce484222325L;
        for (byte b : purpose.getBytes(StandardCharsets.UTF_8)) {
            h ^= (b & 0xff);
            h *= 0x100000001b3L;
        }
        return mix(seed ^ mix(h));
    }

    /** A {@link Random} (its algorithm is fixed by the JDK specification) for {@code purpose}. */
    public static Random random(long seed, String purpose) {
        return new Random(derive(seed, purpose));
    }

    /** A seeded Fisher-Yates permutation of 0..n-1. */
    public static int[] permutation(int n, Random random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    private static long mix(long z) {
        z += 0x9e3779b97f4a7c15L;
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
