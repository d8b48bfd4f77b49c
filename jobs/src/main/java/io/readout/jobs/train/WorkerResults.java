package io.readout.jobs.train;

import io.readout.jobs.spark.ArrayBytes;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingResult;
import org.nd4j.linalg.api.ndarray.INDArray;
import scala.Tuple2;

import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The sum of one averaging round's worker results (parameters, updater state, score), added in the order of
 * the workers' partitions, so that the same results give the same bits whichever task finishes first.
 *
 * <p>dl4j-spark sums them with {@code treeAggregate}, whose last level adds the partial sums on the driver in
 * the order the tasks finish (and whose middle levels, from 9 partitions on, add them in the order a shuffle
 * fetches them): float addition is not associative, so with three workers or more the same round gave
 * different parameters from run to run. Here the results of at most {@link #FAN_IN} partitions are collected
 * and added on the driver by partition index; with more, groups of {@link #FAN_IN} consecutive partitions are
 * first added on the executors (one shuffle per level, each group sorted by index), so the driver never holds
 * more than {@link #FAN_IN} results at once, as with dl4j-spark's depth-2 tree.
 */
final class WorkerResults {
    /** Results (or partial sums) added by one task or by the driver. */
    static final int FAN_IN = 8;

    private WorkerResults() {
    }

    /**
     * A running sum: of {@link #count} workers' parameters and updater state (null when the updater has
     * none) and their scores.
     */
    record Sum(INDArray params, INDArray updaterState, double score, int count) implements Serializable {
        static Sum of(ParameterAveragingTrainingResult r) {
            return new Sum(r.getParameters(), r.getUpdaterState(), r.getScore(), 1);
        }

        /** This sum plus {@code next}, added into this sum's arrays. */
        Sum plus(Sum next) {
            INDArray u = updaterState;
            if (u != null && next.updaterState != null) {
                u.addi(next.updaterState);
            }
            return new Sum(params.addi(next.params), u, score + next.score, count + next.count);
        }

        /** Sent with its arrays as {@link ArrayBytes} (ND4J's own form writes them value by value). */
        @Serial
        private Object writeReplace() {
            if (!ArrayBytes.carries(params, updaterState)) {
                return this;
            }
            return new Form(ArrayBytes.of(params), ArrayBytes.of(updaterState), score, count);
        }
    }

    /** {@link Sum}'s serialized form. */
    private record Form(ArrayBytes params, ArrayBytes updaterState, double score, int count) implements Serializable {
        @Serial
        private Object readResolve() {
            return new Sum(params.array(), ArrayBytes.array(updaterState), score, count);
        }
    }

    /** Sums in index order; null for an empty list. */
    static Sum inOrder(List<Tuple2<Integer, Sum>> indexed) {
        List<Tuple2<Integer, Sum>> sorted = new ArrayList<>(indexed);
        sorted.sort(Comparator.comparing(Tuple2::_1));
        Sum total = null;
        for (Tuple2<Integer, Sum> t : sorted) {
            total = total == null ? t._2() : total.plus(t._2());
        }
        return total;
    }

    /** The sum of every result of a round, in partition order; null when no worker returned one. */
    static Sum sum(JavaRDD<ParameterAveragingTrainingResult> results) {
        JavaPairRDD<Integer, Sum> level = results.mapPartitionsWithIndex(WorkerResults::partitionSum, true)
                .mapToPair(t -> t);
        int groups = results.getNumPartitions();
        while (groups > FAN_IN) {
            groups = (groups + FAN_IN - 1) / FAN_IN;
            level = level.mapToPair(t -> new Tuple2<>(t._1() / FAN_IN, t))
                    .groupByKey(groups)
                    .mapValues(WorkerResults::groupSum)
                    .filter(t -> t._2() != null);
        }
        return inOrder(level.collect());
    }

    private static Iterator<Tuple2<Integer, Sum>> partitionSum(Integer index,
                                                               Iterator<ParameterAveragingTrainingResult> it) {
        Sum sum = null;
        while (it.hasNext()) {
            Sum next = Sum.of(it.next());
            sum = sum == null ? next : sum.plus(next);
        }
        return sum == null ? Collections.emptyIterator() : List.of(new Tuple2<>(index, sum)).iterator();
    }

    private static Sum groupSum(Iterable<Tuple2<Integer, Sum>> group) {
        List<Tuple2<Integer, Sum>> list = new ArrayList<>();
        group.forEach(list::add);
        return inOrder(list);
    }
}
