package io.readout.common.nets;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link MaxPooling2x2}'s forward pass over one example with the JDK's vector API ({@code jdk.incubator.vector}):
 * the same values and first maxima, to the bit, several windows per instruction.
 *
 * <p>libnd4j searches each window in order, top left, top right, bottom left, bottom right, from
 * {@link MaxPooling2x2#SEARCH_START}, taking an entry when it is greater ({@code v > max}: NaN never is, {@code -0.0}
 * is not greater than {@code 0.0}). Vector lanes do that search as written, a float comparison and two blends per
 * entry, so no key transform is needed. Lane {@code x} of a row pair holds the window that starts at column
 * {@code x}; only the even lanes are windows of the pooling, and a scalar pass keeps those.
 *
 * <p>Loads run up to {@link #padding(int)} floats past the example's last entry (into lanes that are thrown away):
 * the caller's array has that room. Only referenced when {@link MaxPooling2x2#vectorized()}, so a JVM without the
 * module (started without {@code --add-modules jdk.incubator.vector}) never loads this class.
 */
final class VectorMaxPooling {
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** Each thread's row of search results: the maximum and its position (as a float, 0 to 3), per column. */
    private static final ThreadLocal<float[][]> ROW = ThreadLocal.withInitial(() -> new float[2][0]);

    private VectorMaxPooling() {
    }

    /** Floats past the example's end that {@link #forward} may read, for an input {@code width} wide. */
    static int padding(int width) {
        return roundUp(width) + 1;
    }

    /**
     * Pools one example {@code z[0, c·h·w)} (channels, rows, columns) into {@code out[0, c·(h/2)·(w/2))} and writes
     * each window's first maximum, 0 to 3, to {@code maxima[at, at + c·(h/2)·(w/2))}. {@code z} holds at least
     * {@code c·h·w + padding(w)} floats.
     */
    static void forward(float[] z, int c, int h, int w, float[] out, byte[] maxima, int at) {
        int oh = h / 2, ow = w / 2, span = roundUp(w);
        float[][] row = ROW.get();
        float[] best = row[0] = row[0].length >= span ? row[0] : new float[span];
        float[] where = row[1] = row[1].length >= span ? row[1] : new float[span];
        FloatVector start = FloatVector.broadcast(SPECIES, MaxPooling2x2.SEARCH_START);
        FloatVector first = FloatVector.zero(SPECIES);
        FloatVector second = FloatVector.broadcast(SPECIES, 1f);
        FloatVector third = FloatVector.broadcast(SPECIES, 2f);
        FloatVector fourth = FloatVector.broadcast(SPECIES, 3f);
        for (int ch = 0; ch < c; ch++) {
            for (int r = 0; r < oh; r++) {
                int top = (ch * h + 2 * r) * w;
                for (int x = 0; x < w; x += LANES) {
                    FloatVector a = FloatVector.fromArray(SPECIES, z, top + x);
                    FloatVector b = FloatVector.fromArray(SPECIES, z, top + x + 1);
                    FloatVector d = FloatVector.fromArray(SPECIES, z, top + w + x);
                    FloatVector e = FloatVector.fromArray(SPECIES, z, top + w + x + 1);
                    VectorMask<Float> greater = a.compare(VectorOperators.GT, start);
                    FloatVector max = start.blend(a, greater);
                    FloatVector k = first;
                    greater = b.compare(VectorOperators.GT, max);
                    max = max.blend(b, greater);
                    k = k.blend(second, greater);
                    greater = d.compare(VectorOperators.GT, max);
                    max = max.blend(d, greater);
                    k = k.blend(third, greater);
                    greater = e.compare(VectorOperators.GT, max);
                    max = max.blend(e, greater);
                    k = k.blend(fourth, greater);
                    max.intoArray(best, x);
                    k.intoArray(where, x);
                }
                int pooledRow = (ch * oh + r) * ow;
                for (int col = 0; col < ow; col++) {
                    out[pooledRow + col] = best[2 * col];
                    maxima[at + pooledRow + col] = (byte) where[2 * col];
                }
            }
        }
    }

    private static int roundUp(int width) {
        return (width + LANES - 1) / LANES * LANES;
    }
}
