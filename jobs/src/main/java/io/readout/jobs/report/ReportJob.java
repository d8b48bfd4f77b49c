package io.readout.jobs.report;

import io.readout.common.Json;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.aggregate.AggregateFiles;
import io.readout.jobs.aggregate.MethodsTable;
import io.readout.jobs.io.AtomicOutput;
import io.readout.jobs.run.PipelineRoot;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code readout report --run ROOT}: one page and one JSON file about every run under a pipeline root.
 * Stages: read the runs ({@link ReportModel}; a missing root, no run, or a malformed file is bad input
 * and nothing is written) → the groups of the datasets the runs name ({@link DatasetGroups}) → Grad-CAM maps
 * of a few bias-conflicting test examples ({@link GradCamPanel}, on the driver), or for a featurized text dataset
 * ({@link TextData}) a few test examples as text with each model's reading of them ({@link TextPanel}) → render
 * {@code report.html}
 * ({@link HtmlReport}) and {@code summary.json} → write both
 * into {@value #REPORT_DIR}/ through {@link AtomicOutput} (a hidden sibling renamed into place with
 * {@code _SUCCESS}; a rerun replaces the earlier report).
 *
 * <p>A root whose {@code pipeline.json} has a seed list is reported as a whole: the figures over the seeds
 * from {@code ROOT/aggregate/} ({@link SeedsReport}; bad input when it is not complete), then the runs of
 * the lowest seed ({@code ROOT/seed=S/}).
 */
public final class ReportJob {
    public static final String REPORT_DIR = "report";
    public static final String HTML = "report.html";
    public static final String SUMMARY = "summary.json";
    private static final Logger LOG = LoggerFactory.getLogger(ReportJob.class);

    /** What was reported and where; {@code table} is the methods table as the command prints it. */
    public record Result(ReportModel model, String html, String summary, String table) {
        /** What {@code readout report} prints: the methods table, then the two files. */
        public String format() {
            return table + "wrote " + html + System.lineSeparator() + "wrote " + summary + System.lineSeparator();
        }
    }

    private ReportJob() {
    }

    public static Result run(SparkSession spark, ReportConfig config) {
        config.validate();
        LOG.info("report: {}", config);
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        HadoopInputs in = new HadoopInputs(conf);
        in.requireDirectory(config.root(), "ROOT");
        PipelineRoot.Record pipeline = PipelineRoot.record(conf, config.root());
        String generated = ZonedDateTime.now().truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        if (pipeline != null && pipeline.seedList()) {
            return runSeeds(spark, config, pipeline, generated);
        }
        ReportModel model = ReportModel.read(conf, config.root());
        LOG.info("report: {} runs under {}", model.runs().size(), model.root());
        Map<String, DatasetGroups> groups = groups(spark, model);
        String html = page(spark, config, model, groups, generated, null);
        String summary = Json.write(summary(model, generated));
        return write(conf, model.root(), html, summary, model, format(model));
    }

    /** A root with a seed list: the aggregate over the seeds, then the lowest seed's runs. */
    private static Result runSeeds(SparkSession spark, ReportConfig config, PipelineRoot.Record pipeline,
                                   String generated) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        String root = qualified(conf, config.root());
        String aggregateDir = HadoopInputs.child(root, PipelineRoot.AGGREGATE_DIR);
        AggregateFiles.Aggregate aggregate = AggregateFiles.read(conf, aggregateDir);
        List<SeedsReport.Point> points = new ArrayList<>();
        for (Row r : spark.read().parquet(HadoopInputs.child(aggregateDir, AggregateFiles.SEEDS_TABLE))
                .select("run", "model", "split", "metric", "seed", "value").collectAsList()) {
            points.add(new SeedsReport.Point(r.getString(0), r.getString(1), r.getString(2), r.getString(3),
                    r.getLong(4), r.getDouble(5)));
        }
        long shown = Collections.min(pipeline.seeds());
        ReportModel model = ReportModel.read(conf, HadoopInputs.child(root, PipelineRoot.seedDir(shown)),
                pipeline.runs());
        SeedsReport seeds = new SeedsReport(HadoopInputs.display(new Path(root)), pipeline.seeds(), shown, aggregate,
                List.copyOf(points));
        LOG.info("report: {} runs over seeds {} under {}", seeds.runs().size(), seeds.seeds(), seeds.root());
        Map<String, DatasetGroups> groups = groups(spark, model);
        String html = page(spark, config, model, groups, generated, seeds);
        return write(conf, root, html, Json.write(summary(seeds, model, generated)), model, format(seeds));
    }

    /** report.html: the example sections (text datasets as text, the others by Grad-CAM), then the page. */
    private static String page(SparkSession spark, ReportConfig config, ReportModel model,
                               Map<String, DatasetGroups> groups, String generated, SeedsReport seeds) {
        Map<String, TextData> texts = new LinkedHashMap<>();
        for (String data : groups.keySet()) {
            TextData input = TextData.read(spark, data);
            if (input != null) {
                texts.put(data, input);
            }
        }
        List<GradCamPanel> panels = GradCamPanel.build(spark, model, groups, config.examplesPerGroup(), texts.keySet());
        List<TextPanel> textPanels = TextPanel.build(spark, model, groups, texts, config.examplesPerGroup());
        return HtmlReport.render(model, groups, panels, textPanels, generated, seeds);
    }

    /** The groups of every dataset the runs name, in the runs' order. */
    private static Map<String, DatasetGroups> groups(SparkSession spark, ReportModel model) {
        Map<String, DatasetGroups> out = new LinkedHashMap<>();
        for (ReportModel.Run r : model.runs()) {
            if (r.data() != null && !out.containsKey(r.data())) {
                out.put(r.data(), DatasetGroups.read(spark, r.data()));
            }
        }
        return out;
    }

    /** summary.json of a root with a seed list: the figures over the seeds, then the runs of the seed shown. */
    static ReportSummary.OverSeeds summary(SeedsReport seeds, ReportModel model, String generated) {
        return new ReportSummary.OverSeeds(seeds.root(), generated, seeds.seeds(), seeds.aggregate().methods(),
                seeds.aggregate().paired(), bestOverSeeds(seeds), seeds.shown(), summary(model, generated).runs());
    }

    private static String qualified(Configuration conf, String dir) {
        try {
            Path p = new Path(dir);
            return p.getFileSystem(conf).makeQualified(p).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Result write(Configuration conf, String root, String html, String summary, ReportModel model,
                                String table) {
        try (AtomicOutput out = AtomicOutput.begin(conf, HadoopInputs.child(root, REPORT_DIR), true, "ROOT")) {
            out.writeText(HTML, html);
            out.writeText(SUMMARY, summary);
            out.commit();
            return new Result(model, HadoopInputs.display(new Path(out.out(), HTML)),
                    HadoopInputs.display(new Path(out.out(), SUMMARY)), table);
        }
    }

    /** Per column of the methods table the run with the highest mean over the seeds (final model). */
    private static Map<String, ReportSummary.BestOverSeeds> bestOverSeeds(SeedsReport seeds) {
        Map<String, ReportSummary.BestOverSeeds> best = new LinkedHashMap<>();
        for (ReportModel.Column c : ReportModel.COLUMNS) {
            List<String> top = seeds.best(c);
            best.put(c.key(), top.isEmpty() ? null : new ReportSummary.BestOverSeeds(top.get(0),
                    seeds.figure(top.get(0), c).summary().mean(), top.size() > 1 ? top.subList(1, top.size()) : null));
        }
        return best;
    }

    /** The printed table over seeds: a row per run, a column per figure as mean ± std, "*" on each column's best mean. */
    public static String format(SeedsReport seeds) {
        int width = Math.max(3, seeds.runs().stream().mapToInt(String::length).max().orElse(3));
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", "run"));
        for (ReportModel.Column c : ReportModel.COLUMNS) {
            b.append(String.format(Locale.ROOT, "  %16s", shortName(c)));
        }
        b.append('\n');
        for (String run : seeds.runs()) {
            b.append(String.format(Locale.ROOT, "%-" + width + "s", run));
            for (ReportModel.Column c : ReportModel.COLUMNS) {
                AggregateFiles.Method m = seeds.figure(run, c);
                String cell = m == null ? "- " : MethodsTable.meanStd(m.summary(), false)
                        + (seeds.best(c).contains(run) ? "*" : " ");
                b.append(String.format(Locale.ROOT, "  %16s", cell));
            }
            b.append('\n');
        }
        b.append(String.format(Locale.ROOT, "mean ± std over %d seed%s (%s), final model%n", seeds.seeds().size(),
                seeds.seeds().size() == 1 ? "" : "s",
                String.join(", ", seeds.seeds().stream().map(String::valueOf).toList())));
        return b.toString().replaceAll(" +\n", "\n");
    }

    /**
     * summary.json: per run its label, method, arch, folder, val and test metrics (null when not evaluated),
     * the selected epoch with its val figures and the final epoch's figures; and per column of the methods
     * table the best run (the first in the report's order on a tie; null when no run has a value).
     */
    public static ReportSummary summary(ReportModel model, String generated) {
        List<ReportSummary.RunSummary> runs = new ArrayList<>();
        for (ReportModel.Run r : model.runs()) {
            runs.add(new ReportSummary.RunSummary(r.label(), r.method(), r.arch(), r.dir(), r.relative(), r.data(),
                    ReportSummary.metrics(r.val()), ReportSummary.metrics(r.test()), ReportModel.figures(r), r.select(),
                    r.bestEpoch(), ReportSummary.EpochFigures.of(r.epoch(r.bestEpoch())),
                    ReportSummary.EpochFigures.of(r.finalEpoch())));
        }
        Map<String, ReportSummary.Best> best = new LinkedHashMap<>();
        for (ReportModel.Column c : ReportModel.COLUMNS) {
            List<ReportModel.Run> top = model.best(c);
            best.put(c.key(), top.isEmpty() ? null : new ReportSummary.Best(top.get(0).label(), top.get(0).dir(),
                    c.of(top.get(0)), top.size() > 1
                            ? top.subList(1, top.size()).stream().map(ReportModel.Run::label).toList() : null));
        }
        return new ReportSummary(model.root(), generated, runs, best);
    }

    /** The printed methods table: a row per run, a column per figure, "-" where none, "*" on each column's best. */
    public static String format(ReportModel model) {
        int width = Math.max(3, model.runs().stream().mapToInt(r -> r.label().length()).max().orElse(3));
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-" + width + "s", "run"));
        for (ReportModel.Column c : ReportModel.COLUMNS) {
            b.append(String.format(Locale.ROOT, "  %9s", shortName(c)));
        }
        b.append('\n');
        List<List<ReportModel.Run>> best = new ArrayList<>();
        for (ReportModel.Column c : ReportModel.COLUMNS) {
            best.add(model.best(c));
        }
        for (ReportModel.Run r : model.runs()) {
            b.append(String.format(Locale.ROOT, "%-" + width + "s", r.label()));
            for (int i = 0; i < ReportModel.COLUMNS.size(); i++) {
                double v = ReportModel.COLUMNS.get(i).of(r);
                String cell = Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v)
                        + (best.get(i).contains(r) ? "*" : " ");
                b.append(String.format(Locale.ROOT, "  %9s", Double.isNaN(v) ? "- " : cell));
            }
            b.append('\n');
        }
        return b.toString().replaceAll(" +\n", "\n");
    }

    private static String shortName(ReportModel.Column c) {
        String figure = switch (c.header()) {
            case "average" -> "acc";
            case "worst-group" -> "wga";
            case "group-mean" -> "gm";
            default -> "bc";
        };
        return c.split() + "_" + figure;
    }
}
