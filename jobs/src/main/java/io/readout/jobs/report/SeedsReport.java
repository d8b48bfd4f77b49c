package io.readout.jobs.report;

import io.readout.jobs.aggregate.AggregateFiles;
import io.readout.jobs.aggregate.SeedFigures;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the report shows of a pipeline root with a seed list beyond one seed's runs: the aggregate over the
 * seeds ({@code ROOT/aggregate/methods.json} and {@code paired.json}), every seed's figures
 * ({@code ROOT/aggregate/seeds/}) for the dots on the bars, and which seed's runs the rest of the page shows.
 *
 * @param root   the pipeline root, as shown
 * @param shown  the seed whose runs (curves, per-group accuracy, weights, Grad-CAM) the page shows
 * @param points every seed's figures
 */
public record SeedsReport(String root, List<Long> seeds, long shown, AggregateFiles.Aggregate aggregate,
                          List<Point> points) {

    /** One seed's figure of one run. */
    public record Point(String run, String model, String split, String metric, long seed, double value) {
    }

    /** The runs, in the aggregate's order. */
    public List<String> runs() {
        return aggregate.methods().stream().map(AggregateFiles.Method::run).distinct().toList();
    }

    /** The aggregate figure of a run's final model in a column of the methods table, or null. */
    public AggregateFiles.Method figure(String run, ReportModel.Column column) {
        return aggregate.method(run, SeedFigures.FINAL, column.split(), metric(column));
    }

    /** The runs with the highest mean in a column (all of them on a tie); empty when none has a value. */
    public List<String> best(ReportModel.Column column) {
        double max = Double.NEGATIVE_INFINITY;
        for (String run : runs()) {
            AggregateFiles.Method m = figure(run, column);
            if (m != null) {
                max = Math.max(max, m.summary().mean());
            }
        }
        List<String> out = new ArrayList<>();
        for (String run : runs()) {
            AggregateFiles.Method m = figure(run, column);
            if (m != null && m.summary().mean() == max) {
                out.add(run);
            }
        }
        return out;
    }

    /** The seeds' figures of a run's final model on a split, in seed order. */
    public List<Point> points(String run, String split, String metric) {
        return points.stream().filter(p -> p.run().equals(run) && p.model().equals(SeedFigures.FINAL)
                        && p.split().equals(split) && p.metric().equals(metric))
                .sorted(Comparator.comparingLong(Point::seed)).toList();
    }

    /** The aggregate's name of a methods-table column's figure. */
    public static String metric(ReportModel.Column column) {
        return switch (column.header()) {
            case "average" -> SeedFigures.ACCURACY;
            case "worst-group" -> SeedFigures.WGA;
            case "group-mean" -> SeedFigures.GROUP_MEAN;
            default -> SeedFigures.BIAS_CONFLICTING;
        };
    }
}
