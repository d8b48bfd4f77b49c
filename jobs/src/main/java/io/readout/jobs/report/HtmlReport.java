package io.readout.jobs.report;

import io.readout.common.Durations;
import io.readout.common.metrics.CrossEntropy;
import io.readout.common.metrics.GroupAccuracy;
import io.readout.common.metrics.SplitMetrics;
import io.readout.jobs.aggregate.AggregateFiles;
import io.readout.jobs.aggregate.MethodsTable;
import io.readout.jobs.aggregate.SeedFigures;
import io.readout.jobs.run.EpochRecord;
import io.readout.jobs.train.Sifer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import static io.readout.jobs.report.SvgCharts.escape;

/**
 * report.html: one self-contained page (inline CSS, inline SVG charts, PNG images as data URIs; no
 * script and no reference to anything outside the file) with, in order: the runs; the methods table
 * (average, worst-group, group-mean and bias-conflicting accuracy on val and test, the best of each
 * column in bold); per-group test accuracy of every run; each run's training curves; DEDIER's
 * early-readout weights; SIFER's aux readout accuracy; Grad-CAM maps of a few bias-conflicting test examples
 * ({@link GradCamSection}) or, for a featurized text dataset, a few test examples as text with each model's
 * prediction and the words that weighed most in it ({@link TextSection}). Each run keeps one colour throughout; groups are named, sized and tagged as
 * {@link GroupLabels} does, from the runs' datasets ({@link DatasetGroups}); the runs' table has each run's
 * seed, training time and settings ({@link RunSettings}).
 *
 * <p>For a root with a seed list ({@link SeedsReport}) the page opens with the figures over the seeds: a
 * sentence written from them ({@link SeedsParagraph}), the methods table as mean ± std, bar charts of the means
 * with ± std whiskers and a dot per seed, and the paired differences against the baselines; the sections after
 * it show one seed's runs.
 */
public final class HtmlReport {
    static final String MISSING = "—";

    private static final String CSS = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#222;\
            max-width:1280px;margin:24px auto;padding:0 20px;line-height:1.4}
            h1{font-size:24px;margin-bottom:4px}h2{font-size:18px;margin-top:36px;border-bottom:1px solid #ddd;\
            padding-bottom:4px}h3{font-size:14px;margin:0 0 6px}
            .meta{color:#666;font-size:13px}.note{color:#666;font-size:13px;margin:4px 0}
            table{border-collapse:collapse;font-size:13px;font-variant-numeric:tabular-nums;display:block;max-width:100%;\
            overflow-x:auto}
            th,td{padding:4px 10px;border-bottom:1px solid #eee;text-align:right;white-space:nowrap}
            th{background:#f5f5f5;font-weight:600}th.left,td.left{text-align:left}
            td.best{font-weight:bold;background:#e6f2e6}
            .swatch{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:6px;vertical-align:baseline}
            .legend{font-size:12px;margin:6px 0 2px}.legend span{margin-right:14px;white-space:nowrap}
            .cards{display:flex;flex-wrap:wrap;gap:16px}.card{border:1px solid #e2e2e2;border-radius:6px;padding:10px 12px}
            svg.chart{display:block;max-width:100%;height:auto}svg text{font-size:11px;fill:#444}
            svg text.label{font-size:12px;fill:#222}svg .grid{stroke:#e8e8e8}svg .axis{stroke:#999}
            svg rect.bar{stroke:#fff;stroke-width:0.5}
            svg text.count{font-size:10px;fill:#222}svg text.open{font-style:italic}
            td.settings{white-space:normal;text-align:left;font-size:11px;color:#444;min-width:240px}
            table.gradcam td{text-align:center;vertical-align:top;padding:4px 6px}
            table.gradcam td.left{text-align:left;white-space:normal;min-width:180px}
            .card p.note{max-width:480px}table.groups th{white-space:normal}
            table.gradcam img{image-rendering:pixelated;display:block;margin:0 auto;border:1px solid #ddd}
            .right{color:#2e7d32}.wrong{color:#c62828}.caption{font-size:11px;color:#555}
            .tag{font-size:11px;color:#b71c1c;background:#fdecea;border-radius:3px;padding:0 4px;white-space:nowrap}
            .ramp{display:inline-block;width:160px;height:10px;vertical-align:middle;margin:0 6px;border:1px solid #ccc}
            p.lead{font-size:15px;margin:8px 0 12px}
            table.texts td{text-align:left;vertical-align:top;white-space:normal;min-width:160px;max-width:360px}
            table.texts td div{margin-top:4px}span.w{border-radius:2px;padding:0 1px}
            code{font-size:12px}
            """;

    private final ReportModel model;
    private final Map<String, DatasetGroups> groups;
    private final List<GradCamPanel> panels;
    private final List<TextPanel> texts;
    private final String generated;
    private final SeedsReport seeds;
    private final Map<ReportModel.Run, String> colors = new IdentityHashMap<>();
    /** The colours of the aggregate's runs: a run's colour where the shown seed has a run of that name. */
    private final Map<String, String> runColors = new HashMap<>();
    private final StringBuilder b = new StringBuilder();

    private HtmlReport(ReportModel model, Map<String, DatasetGroups> groups, List<GradCamPanel> panels,
                       List<TextPanel> texts, String generated, SeedsReport seeds) {
        this.model = model;
        this.groups = groups;
        this.panels = panels;
        this.texts = texts;
        this.generated = generated;
        this.seeds = seeds;
        for (int i = 0; i < model.runs().size(); i++) {
            colors.put(model.runs().get(i), SvgCharts.color(i));
            runColors.put(model.runs().get(i).label(), SvgCharts.color(i));
        }
        if (seeds != null) {
            int next = model.runs().size();
            for (String run : seeds.runs()) {
                if (!runColors.containsKey(run)) {
                    runColors.put(run, SvgCharts.color(next++));
                }
            }
        }
    }

    /**
     * The page; {@code groups} are the groups of each dataset the runs name (config.json's {@code data}), and
     * {@code generated} is shown as the time it was made.
     */
    public static String render(ReportModel model, Map<String, DatasetGroups> groups, List<GradCamPanel> panels,
                                String generated) {
        return render(model, groups, panels, generated, null);
    }

    /** The page of a root with a seed list: the figures over {@code seeds}, then the runs of {@code model}'s seed. */
    public static String render(ReportModel model, Map<String, DatasetGroups> groups, List<GradCamPanel> panels,
                                String generated, SeedsReport seeds) {
        return render(model, groups, panels, List.of(), generated, seeds);
    }

    /**
     * The page with the examples of text datasets ({@code texts}) next to the Grad-CAM maps of the others;
     * {@code seeds} null for a root without a seed list.
     */
    public static String render(ReportModel model, Map<String, DatasetGroups> groups, List<GradCamPanel> panels,
                                List<TextPanel> texts, String generated, SeedsReport seeds) {
        return new HtmlReport(model, groups, panels, texts, generated, seeds).page();
    }

    private String page() {
        String root = seeds != null ? seeds.root() : model.root();
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>readout report: ").append(escape(root)).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        b.append("<h1>readout report</h1>\n<p class=\"meta\"><code>").append(escape(root)).append("</code> · ")
                .append(model.runs().size()).append(model.runs().size() == 1 ? " run" : " runs");
        if (seeds != null) {
            b.append(" × ").append(seeds.seeds().size()).append(seeds.seeds().size() == 1 ? " seed" : " seeds")
                    .append(" (").append(escape(seedList())).append(")");
        }
        b.append(" · generated ").append(escape(generated)).append("</p>\n");
        if (seeds != null) {
            overSeeds();
            b.append("<h2 id=\"seed\">Seed ").append(seeds.shown()).append("</h2>\n<p class=\"note\">The sections below ")
                    .append("show the runs of seed ").append(seeds.shown()).append(seeds.shown() == lowestSeed()
                            ? ", the lowest" : "").append(" (<code>")
                    .append(escape(model.root())).append("</code>); every seed's runs are under <code>seed=S/</code>.</p>\n");
        }
        runs();
        if (seeds == null) {
            methods();
        }
        perGroup();
        curves();
        dedier();
        sifer();
        b.append(GradCamSection.render(panels, this::swatch, seeds == null ? null : seeds.shown()));
        b.append(TextSection.render(texts, this::swatch, seeds == null ? null : seeds.shown()));
        b.append("</body>\n</html>\n");
        return b.toString();
    }

    private long lowestSeed() {
        return seeds.seeds().stream().mapToLong(Long::longValue).min().orElse(seeds.shown());
    }

    private String seedList() {
        return String.join(", ", seeds.seeds().stream().map(String::valueOf).toList());
    }

    private String swatch(String color) {
        return "<span class=\"swatch\" style=\"background:" + color + "\"></span>";
    }

    /** The methods table as mean ± std over the seeds, its charts with error bars, the paired differences. */
    private void overSeeds() {
        List<String> runs = seeds.runs();
        b.append("<h2 id=\"accuracy\">Accuracy over ").append(seeds.seeds().size()).append(" seeds</h2>\n");
        String lead = SeedsParagraph.of(seeds);
        if (lead != null) {
            b.append("<p class=\"lead\">").append(escape(lead)).append("</p>\n");
        }
        b.append("<table class=\"methods\">\n<tr><th class=\"left\" rowspan=\"2\">run</th>")
                .append("<th colspan=\"4\">validation</th><th colspan=\"4\">test</th></tr>\n<tr>");
        for (ReportModel.Column c : ReportModel.COLUMNS) {
            b.append("<th>").append(escape(c.header())).append("</th>");
        }
        b.append("</tr>\n");
        List<List<String>> best = new ArrayList<>();
        for (ReportModel.Column c : ReportModel.COLUMNS) {
            best.add(seeds.best(c));
        }
        for (String run : runs) {
            b.append("<tr><td class=\"left\">").append(swatch(runColors.get(run))).append(escape(run)).append("</td>");
            for (int i = 0; i < ReportModel.COLUMNS.size(); i++) {
                AggregateFiles.Method m = seeds.figure(run, ReportModel.COLUMNS.get(i));
                b.append(m != null && best.get(i).contains(run) ? "<td class=\"best\">" : "<td>")
                        .append(m == null ? MISSING : escape(MethodsTable.meanStd(m.summary(), false))).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n<p class=\"note\">Mean ± sample standard deviation over seeds ").append(escape(seedList()))
                .append(" of the final model (<code>aggregate/methods.json</code>, which also has the validation-selected ")
                .append("model, min, max and n); the best mean of each column is in bold; ").append(MISSING)
                .append(" where no seed has the figure.</p>\n");

        List<String> categories = ReportModel.COLUMNS.stream().filter(c -> c.split().equals("test"))
                .map(ReportModel.Column::header).toList();
        b.append("<div class=\"legend\">");
        for (String run : runs) {
            b.append("<span>").append(swatch(runColors.get(run))).append(escape(run)).append("</span>");
        }
        b.append("</div>\n<div class=\"cards\">\n");
        for (String split : List.of("val", "test")) {
            List<SvgCharts.ErrorBars> bars = new ArrayList<>();
            for (String run : runs) {
                List<ReportModel.Column> columns = ReportModel.COLUMNS.stream().filter(c -> c.split().equals(split)).toList();
                double[] mean = new double[columns.size()];
                double[] std = new double[columns.size()];
                double[][] points = new double[columns.size()][];
                long[][] pointSeeds = new long[columns.size()][];
                for (int i = 0; i < columns.size(); i++) {
                    AggregateFiles.Method m = seeds.figure(run, columns.get(i));
                    mean[i] = m == null ? Double.NaN : m.summary().mean();
                    std[i] = m == null || m.summary().std() == null ? Double.NaN : m.summary().std();
                    List<SeedsReport.Point> p = seeds.points(run, split, SeedsReport.metric(columns.get(i)));
                    points[i] = p.stream().mapToDouble(SeedsReport.Point::value).toArray();
                    pointSeeds[i] = p.stream().mapToLong(SeedsReport.Point::seed).toArray();
                }
                bars.add(new SvgCharts.ErrorBars(run, runColors.get(run), mean, std, points, pointSeeds));
            }
            b.append("<div class=\"card\"><h3>").append(split.equals("val") ? "Validation" : "Test")
                    .append(": mean ± std, a dot per seed</h3>\n")
                    .append(SvgCharts.errorBarChart(categories, bars, "accuracy", split + " accuracy", 1)).append("</div>\n");
        }
        b.append("</div>\n");
        pairedOverSeeds(runs);
    }

    /** Test worst-group accuracy minus each baseline's, per seed, as mean ± std. */
    private void pairedOverSeeds(List<String> runs) {
        List<AggregateFiles.Paired> wga = seeds.aggregate().paired().stream()
                .filter(p -> p.split().equals("test") && p.metric().equals(SeedFigures.WGA)).toList();
        List<String[]> columns = new ArrayList<>();
        for (String baseline : SeedFigures.BASELINES) {
            for (String m : SeedFigures.MODELS) {
                if (wga.stream().anyMatch(p -> p.baseline().equals(baseline) && p.model().equals(m))) {
                    columns.add(new String[] {baseline, m});
                }
            }
        }
        if (columns.isEmpty()) {
            return;
        }
        b.append("<h3>Test worst-group accuracy against the baselines, paired by seed</h3>\n<table>\n")
                .append("<tr><th class=\"left\">run</th>");
        for (String[] c : columns) {
            b.append("<th>").append(escape(c[1] + " − " + c[0])).append("</th>");
        }
        b.append("</tr>\n");
        for (String run : runs) {
            if (wga.stream().noneMatch(p -> p.run().equals(run))) {
                continue;
            }
            b.append("<tr><td class=\"left\">").append(swatch(runColors.get(run))).append(escape(run)).append("</td>");
            for (String[] c : columns) {
                AggregateFiles.Paired p = wga.stream().filter(x -> x.run().equals(run) && x.baseline().equals(c[0])
                        && x.model().equals(c[1])).findFirst().orElse(null);
                b.append("<td>").append(p == null ? MISSING : escape(MethodsTable.meanStd(p.summary(), true))).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n<p class=\"note\">Per seed the run's figure minus the baseline's of the same seed, then ")
                .append("mean ± std over the seeds (<code>aggregate/paired.json</code>: every split and figure).</p>\n");
    }

    private String swatch(ReportModel.Run run) {
        return "<span class=\"swatch\" style=\"background:" + colors.get(run) + "\"></span>";
    }

    private void runs() {
        RunSettings settings = RunSettings.of(model.runs().stream().map(ReportModel.Run::config).toList());
        b.append("<h2 id=\"runs\">Runs</h2>\n<table>\n<tr><th class=\"left\">run</th>")
                .append("<th class=\"left\">folder</th><th>seed</th><th>epochs</th>")
                .append("<th>best epoch</th><th>final loss</th><th>final val acc</th><th>final val WGA</th>")
                .append("<th>training time</th><th class=\"left\">settings</th></tr>\n");
        for (int i = 0; i < model.runs().size(); i++) {
            ReportModel.Run r = model.runs().get(i);
            ReportModel.Epoch last = r.finalEpoch();
            String seed = RunSettings.seed(r.config());
            double seconds = r.total(EpochRecord.SECONDS);
            String own = RunSettings.format(settings.perRun().get(i));
            b.append("<tr><td class=\"left\">").append(swatch(r)).append(escape(r.label()))
                    .append("</td><td class=\"left\"><code>").append(escape(r.relative())).append("</code></td><td>")
                    .append(seed == null ? MISSING : escape(seed)).append("</td><td>")
                    .append(r.epochs().size()).append("</td><td>")
                    .append(r.bestEpoch() == null ? MISSING : r.bestEpoch() + (r.select() == null ? ""
                            : " <span class=\"caption\">(" + escape(r.select()) + ")</span>"))
                    .append("</td><td>").append(last == null ? MISSING : fmt(last.figure("loss")))
                    .append("</td><td>").append(last == null ? MISSING : fmt(last.figure(EpochRecord.VAL_ACCURACY)))
                    .append("</td><td>").append(last == null ? MISSING : fmt(last.figure(EpochRecord.VAL_WGA)))
                    .append("</td><td title=\"").append(escape(timeTitle(r))).append("\">").append(duration(seconds))
                    .append("</td><td class=\"settings\">").append(own.isEmpty() ? MISSING : escape(own))
                    .append("</td></tr>\n");
        }
        b.append("</table>\n<p class=\"note\">").append(settings.shared().isEmpty() ? "No setting is shared by every run"
                        : "Settings of every run: <code>" + escape(RunSettings.format(settings.shared())) + "</code>")
                .append("; in the table, those that differ and each method's options (<code>config.json</code>). ")
                .append("Training time: the sum of ")
                .append("<code>history.json</code>'s seconds per epoch (fit, the method's passes, validation); what ")
                .append("runs outside the epochs (start-up, a teacher-probs pass, JTT's first stage) is not in it.</p>\n");
    }

    /** The tooltip of a run's training time: its fit share. */
    private static String timeTitle(ReportModel.Run r) {
        double fit = r.total(EpochRecord.FIT_SECONDS);
        return Double.isNaN(fit) ? "" : "fit " + duration(fit) + " of " + duration(r.total(EpochRecord.SECONDS));
    }

    /** A time as {@link Durations} writes it; — for NaN (no epoch recorded one). */
    static String duration(double seconds) {
        return Double.isNaN(seconds) ? MISSING : Durations.format(seconds);
    }

    private void methods() {
        b.append("<h2 id=\"accuracy\">Accuracy</h2>\n<table class=\"methods\">\n<tr><th class=\"left\" rowspan=\"2\">run</th>")
                .append("<th colspan=\"4\">validation</th><th colspan=\"4\">test</th></tr>\n<tr>");
        for (ReportModel.Column c : ReportModel.COLUMNS) {
            b.append("<th>").append(escape(c.header())).append("</th>");
        }
        b.append("</tr>\n");
        List<List<ReportModel.Run>> best = new ArrayList<>();
        for (ReportModel.Column c : ReportModel.COLUMNS) {
            best.add(model.best(c));
        }
        for (ReportModel.Run r : model.runs()) {
            b.append("<tr><td class=\"left\">").append(swatch(r)).append(escape(r.label())).append("</td>");
            for (int i = 0; i < ReportModel.COLUMNS.size(); i++) {
                double v = ReportModel.COLUMNS.get(i).of(r);
                if (!Double.isNaN(v) && best.get(i).contains(r)) {
                    b.append("<td class=\"best\">").append(fmt(v)).append("</td>");
                } else {
                    b.append("<td>").append(fmt(v)).append("</td>");
                }
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n<p class=\"note\">The final model (<code>model.zip</code>) as <code>readout evaluate</code> ")
                .append("wrote it to <code>metrics/val.json</code> and <code>metrics/test.json</code>; the best value of ")
                .append("each column is in bold; ").append(MISSING).append(" where a run was not evaluated on the split ")
                .append("(or the split has no bias-conflicting examples).</p>\n");
    }

    private void perGroup() {
        b.append("<h2 id=\"groups\">Per-group test accuracy</h2>\n");
        TreeSet<Integer> ids = new TreeSet<>();
        List<ReportModel.Run> evaluated = new ArrayList<>();
        for (ReportModel.Run r : model.runs()) {
            if (r.test() != null) {
                evaluated.add(r);
                r.test().groups().forEach(g -> ids.add(g.group()));
            }
        }
        if (evaluated.isEmpty()) {
            b.append("<p class=\"note\">No run has <code>metrics/test.json</code> yet (run <code>readout evaluate</code>).</p>\n");
            return;
        }
        DatasetGroups named = groupsOf(evaluated);
        List<String> categories = ids.stream().map(g -> GroupLabels.category(named, g)).toList();
        List<SvgCharts.Bars> bars = new ArrayList<>();
        for (ReportModel.Run r : evaluated) {
            double[] v = new double[categories.size()];
            int i = 0;
            for (int g : ids) {
                v[i++] = groupAccuracy(r.test(), g);
            }
            bars.add(new SvgCharts.Bars(r.label(), colors.get(r), v));
        }
        legend(evaluated);
        b.append(SvgCharts.barChart(categories, bars, "group", "test accuracy", 1));
        b.append("<table class=\"groups\">\n<tr><th>group</th><th class=\"left\">label · attribute</th>")
                .append("<th>train n</th>");
        for (ReportModel.Run r : evaluated) {
            b.append("<th>").append(swatch(r)).append(escape(r.label())).append("</th>");
        }
        b.append("</tr>\n");
        for (int g : ids) {
            DatasetGroups.Group known = named == null ? null : named.group(g);
            b.append("<tr><td>").append(g).append("</td><td class=\"left\">")
                    .append(known == null ? MISSING : escape(known.name())
                            + (known.biasConflicting() ? " <span class=\"tag\">" + GroupLabels.TAG + "</span>" : ""))
                    .append("</td><td>").append(known == null || known.trainSize() == null ? MISSING : known.trainSize())
                    .append("</td>");
            for (ReportModel.Run r : evaluated) {
                b.append("<td>").append(fmt(groupAccuracy(r.test(), g))).append("</td>");
            }
            b.append("</tr>\n");
        }
        b.append("</table>\n<p class=\"note\">Train n: training examples of the group (<code>dataset.json</code>); ")
                .append("bias-conflicting: a group smaller in training than its label's largest group (the label's ")
                .append("majority pairing with an attribute).</p>\n");
        groupsNote(named, evaluated);
    }

    /** The groups of the dataset every one of {@code runs} was trained on, or null when they name several or none. */
    private DatasetGroups groupsOf(List<ReportModel.Run> runs) {
        List<String> data = runs.stream().map(ReportModel.Run::data).distinct().toList();
        return data.size() == 1 && data.get(0) != null ? groups.get(data.get(0)) : null;
    }

    /** Why groups are shown by id: runs of several datasets, or a dataset that cannot be read. */
    private void groupsNote(DatasetGroups named, List<ReportModel.Run> runs) {
        String note = named != null ? named.note() : runs.stream().map(ReportModel.Run::data).distinct().count() > 1
                ? "The runs were trained on different datasets: groups by id." : null;
        if (note != null) {
            b.append("<p class=\"note\">").append(escape(note)).append("</p>\n");
        }
    }

    private static double groupAccuracy(SplitMetrics m, int group) {
        for (GroupAccuracy g : m.groups()) {
            if (g.group() == group) {
                return g.accuracy();
            }
        }
        return Double.NaN;
    }

    private void legend(List<ReportModel.Run> runs) {
        b.append("<div class=\"legend\">");
        for (ReportModel.Run r : runs) {
            b.append("<span>").append(swatch(r)).append(escape(r.label())).append("</span>");
        }
        b.append("</div>\n");
    }

    private void legend(String[] names, String[] cols) {
        b.append("<div class=\"legend\">");
        for (int i = 0; i < names.length; i++) {
            b.append("<span><span class=\"swatch\" style=\"background:").append(cols[i]).append("\"></span>")
                    .append(escape(names[i])).append("</span>");
        }
        b.append("</div>\n");
    }

    private SvgCharts.Line line(ReportModel.Run r, String key, String name, String color) {
        double[][] c = r.curve(key);
        return new SvgCharts.Line(name, color, c[0], c[1]);
    }

    private void curves() {
        b.append("<h2 id=\"curves\">Training curves</h2>\n<p class=\"note\">The training loss is the mean loss ")
                .append("of each epoch's fit; the validation loss is the mean cross-entropy of the validation split ")
                .append("after the epoch, <code>−ln p(label)</code> from the same predicted probabilities as the ")
                .append("validation accuracies, a probability below 10<sup>")
                .append(Math.round(Math.log10(CrossEntropy.PROBABILITY_FLOOR)))
                .append("</sup> taken as that floor (<code>").append(EpochRecord.VAL_LOSS)
                .append("</code> in <code>history.json</code>).</p>\n<div class=\"cards\">\n");
        String trainLoss = SvgCharts.color(0);
        String valLoss = SvgCharts.color(1);
        String acc = SvgCharts.color(0);
        String wga = SvgCharts.color(2);
        for (ReportModel.Run r : model.runs()) {
            b.append("<div class=\"card\"><h3>").append(swatch(r)).append(escape(r.label())).append("</h3>\n");
            if (r.epochs().isEmpty()) {
                b.append("<p class=\"note\">No epochs in <code>history.json</code>.</p></div>\n");
                continue;
            }
            boolean hasValLoss = r.hasFigure(EpochRecord.VAL_LOSS);
            List<SvgCharts.Line> losses = new ArrayList<>(List.of(line(r, EpochRecord.LOSS, "training loss", trainLoss)));
            if (hasValLoss) {
                losses.add(line(r, EpochRecord.VAL_LOSS, "val loss", valLoss));
                legend(new String[] {"training loss", "val loss"}, new String[] {trainLoss, valLoss});
            } else {
                legend(new String[] {"training loss"}, new String[] {trainLoss});
            }
            double maxLoss = 0;
            for (SvgCharts.Line l : losses) {
                for (double v : l.y()) {
                    if (!Double.isNaN(v) && !Double.isInfinite(v)) {
                        maxLoss = Math.max(maxLoss, v);
                    }
                }
            }
            b.append(SvgCharts.lineChart(losses, "epoch", "loss", 0, SvgCharts.niceMax(maxLoss, 5)));
            if (!hasValLoss) {
                b.append("<p class=\"note\">No validation loss: <code>history.json</code> predates <code>")
                        .append(EpochRecord.VAL_LOSS).append("</code>; training loss only.</p>\n");
            }
            legend(new String[] {"val accuracy", "val worst-group accuracy"}, new String[] {acc, wga});
            b.append(SvgCharts.lineChart(List.of(line(r, EpochRecord.VAL_ACCURACY, "val accuracy", acc),
                    line(r, EpochRecord.VAL_WGA, "val worst-group accuracy", wga)), "epoch", "accuracy", 0, 1));
            b.append("</div>\n");
        }
        b.append("</div>\n");
    }

    private void dedier() {
        List<ReportModel.Run> runs = model.runs().stream().filter(r -> "dedier".equals(r.method())).toList();
        if (runs.isEmpty()) {
            return;
        }
        b.append("<h2 id=\"dedier\">DEDIER: early-readout weights</h2>\n<p class=\"note\">From the newest weights pass ")
                .append("of each run (<code>weights/epoch=NNNN/summary.json</code>): training examples the early readout ")
                .append("gets wrong are flagged and up-weighted by its confidence.</p>\n");
        for (ReportModel.Run r : runs) {
            ReportModel.Weights w = r.weights();
            b.append("<h3>").append(swatch(r)).append(escape(r.label())).append("</h3>\n");
            if (w == null) {
                b.append("<p class=\"note\">No <code>weights/epoch=NNNN/summary.json</code>.</p>\n");
                continue;
            }
            b.append(String.format(Locale.ROOT, "<p class=\"note\">Weights of epoch %d: %d examples, %d flagged (%.1f%%), "
                    + "largest weight %s.</p>%n", w.epoch(), w.examples(), w.flagged(), 100 * w.flaggedFraction(),
                    fmt(w.maxWeight())));
            DatasetGroups named = r.data() == null ? null : groups.get(r.data());
            List<String> categories = new ArrayList<>();
            double[] flagged = new double[w.groups().size()];
            double[] confidence = new double[w.groups().size()];
            for (int i = 0; i < w.groups().size(); i++) {
                ReportModel.WeightGroup g = w.groups().get(i);
                categories.add(GroupLabels.category(named, g.group()));
                flagged[i] = g.flaggedFraction();
                confidence[i] = g.meanErrorConfidence();
            }
            String color = colors.get(r);
            b.append("<div class=\"cards\">\n<div class=\"card\"><h3>Weights (training examples)</h3>\n")
                    .append(SvgCharts.histogram(w.histogram(), "weight", color))
                    .append("<p class=\"note\">Each bar spans its bin of weights; heights are counts on a log scale, ")
                    .append("each written above its bar; the last bin is open (dashed).</p></div>\n")
                    .append("<div class=\"card\"><h3>Fraction flagged per group</h3>\n")
                    .append(SvgCharts.barChart(categories, List.of(new SvgCharts.Bars("flagged", color, flagged)),
                            "group", "fraction flagged", 1)).append("</div>\n")
                    .append("<div class=\"card\"><h3>Readout confidence on its errors per group</h3>\n")
                    .append(SvgCharts.barChart(categories, List.of(new SvgCharts.Bars("mean confidence on errors", color,
                            confidence)), "group", "mean confidence", 1))
                    .append("<p class=\"note\">").append(MISSING).append(": no errors in the group.</p></div>\n</div>\n");
        }
    }

    private void sifer() {
        List<ReportModel.Run> runs = model.runs().stream().filter(r -> "sifer".equals(r.method())).toList();
        if (runs.isEmpty()) {
            return;
        }
        b.append("<h2 id=\"sifer\">SIFER: aux readout accuracy</h2>\n<p class=\"note\">The aux head's accuracy on the ")
                .append("validation split after each epoch (<code>").append(Sifer.VAL_AUX_ACCURACY)
                .append("</code>): how much label signal the early layers still give a linear readout; forgetting ")
                .append("pushes it down.</p>\n<div class=\"cards\">\n");
        String main = SvgCharts.color(0);
        for (ReportModel.Run r : runs) {
            b.append("<div class=\"card\"><h3>").append(swatch(r)).append(escape(r.label())).append("</h3>\n");
            if (!r.hasFigure(Sifer.VAL_AUX_ACCURACY)) {
                b.append("<p class=\"note\">No <code>").append(Sifer.VAL_AUX_ACCURACY)
                        .append("</code> in <code>history.json</code>.</p></div>\n");
                continue;
            }
            legend(new String[] {"aux readout (val)", "main output (val)"}, new String[] {colors.get(r), main});
            b.append(SvgCharts.lineChart(List.of(line(r, Sifer.VAL_AUX_ACCURACY, "aux readout", colors.get(r)),
                    line(r, EpochRecord.VAL_ACCURACY, "main output", main)), "epoch", "val accuracy", 0, 1)).append("</div>\n");
        }
        b.append("</div>\n");
    }

    /** Each note that is not null as a paragraph of class note, escaped. */
    static String notes(List<String> notes) {
        StringBuilder out = new StringBuilder();
        for (String note : notes) {
            if (note != null) {
                out.append("<p class=\"note\">").append(escape(note)).append("</p>\n");
            }
        }
        return out.toString();
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? MISSING : String.format(Locale.ROOT, "%.4f", v);
    }
}
