package io.readout.common;

import java.util.Locale;

/** Elapsed times and ETAs as people read them: {@code 4.2 s}, {@code 3 min 05 s}, {@code 1 h 02 min}. */
public final class Durations {
    private Durations() {
    }

    public static String format(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            return "?";
        }
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1f s", seconds);
        }
        long s = Math.round(seconds);
        if (s < 3600) {
            return String.format(Locale.ROOT, "%d min %02d s", s / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d h %02d min", s / 3600, (s % 3600) / 60);
    }

    /** The time the remaining steps take at the mean pace of the ones done. */
    public static double eta(double secondsSoFar, int done, int total) {
        if (done <= 0) {
            return Double.NaN;
        }
        return secondsSoFar / done * Math.max(0, total - done);
    }
}
