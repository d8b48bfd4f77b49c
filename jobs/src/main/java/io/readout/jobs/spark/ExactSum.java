package io.readout.jobs.spark;

import java.math.BigDecimal;
import org.apache.spark.SparkContext;
import org.apache.spark.util.AccumulatorV2;

/**
 * A Spark accumulator of doubles whose total does not depend on the order tasks finish in.
 *
 * <p>Spark merges task accumulators on the driver as tasks complete, and a {@code DoubleAccumulator} adds
 * in that order; floating-point addition is not associative, so two runs of the same tasks can differ in
 * the last bit. This one adds exactly ({@link BigDecimal} holds every finite double and every sum of them)
 * and rounds once, in {@link #value()}: the same values give the same bits in any order.
 */
public final class ExactSum extends AccumulatorV2<Double, Double> {
    private static final long serialVersionUID = 1L;

    private BigDecimal sum = BigDecimal.ZERO;
    private boolean nonFinite;
    private double nonFiniteSum;

    /** Registers a new one with the context under a name (shown in the Spark UI). */
    public static ExactSum register(SparkContext sc, String name) {
        ExactSum sum = new ExactSum();
        sc.register(sum, name);
        return sum;
    }

    @Override
    public boolean isZero() {
        return sum.signum() == 0 && !nonFinite;
    }

    @Override
    public ExactSum copy() {
        ExactSum c = new ExactSum();
        c.sum = sum;
        c.nonFinite = nonFinite;
        c.nonFiniteSum = nonFiniteSum;
        return c;
    }

    @Override
    public void reset() {
        sum = BigDecimal.ZERO;
        nonFinite = false;
        nonFiniteSum = 0;
    }

    /** Adds one value; NaN and infinities are kept apart and make the total NaN or infinite, as a double sum would. */
    @Override
    public void add(Double v) {
        add(v.doubleValue());
    }

    /** Adds one value without boxing. */
    public void add(double v) {
        if (Double.isFinite(v)) {
            sum = sum.add(new BigDecimal(v));
        } else {
            nonFinite = true;
            nonFiniteSum += v;
        }
    }

    @Override
    public void merge(AccumulatorV2<Double, Double> other) {
        if (!(other instanceof ExactSum o)) {
            throw new UnsupportedOperationException("cannot merge " + other.getClass().getName() + " into an ExactSum");
        }
        sum = sum.add(o.sum);
        if (o.nonFinite) {
            nonFinite = true;
            nonFiniteSum += o.nonFiniteSum;
        }
    }

    /** The sum, rounded once to the nearest double. */
    @Override
    public Double value() {
        return nonFinite ? nonFiniteSum + sum.doubleValue() : sum.doubleValue();
    }
}
