package io.readout.jobs.sweep;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.common.MachineCpu;
import io.readout.common.metrics.SplitMetrics;
import io.readout.datasets.ExamplesTable;
import io.readout.datasets.Split;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.evaluate.EvaluateConfig;
import io.readout.jobs.evaluate.EvaluateJob;
import io.readout.jobs.io.AtomicOutput;
import io.readout.jobs.io.PrefixedLines;
import io.readout.jobs.io.UnreadableInput;
import io.readout.jobs.run.RunDir;
import io.readout.jobs.run.TrainingHistory;
import io.readout.jobs.train.TrainConfig;
import io.readout.jobs.train.TrainJob;
import io.readout.jobs.train.TrainingDivergedException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code readout sweep}: a hyper-parameter search over readout train's flags. Stages: check every
 * trial's data folder and the output folder against the plan (a trial folder trained with another
 * config is refused unless {@code --overwrite}) → run the trials that are not finished, up to
 * {@code concurrent} at once from driver threads that share the session, each in its own Spark
 * scheduler pool; a trial is: train ({@link TrainJob} into {@code OUT/trials/trial=NNNN/}, resumed
 * from its last checkpoint when it was interrupted, with the sweep's {@code select} choosing
 * {@code best.zip} on validation) → evaluate {@code best.zip} on val and test ({@link EvaluateJob},
 * into the run's {@code metrics/best/}) → {@code trial.json} → {@code sweep.parquet} and
 * {@code sweep.json} rewritten (atomically, under one lock) → at the end the winner: the best
 * validation figure, ties to the lower trial id. A finished trial (complete run and trial.json) is
 * never trained or evaluated again.
 */
public final class SweepJob {
    private static final Logger LOG = LoggerFactory.getLogger(SweepJob.class);
    public static final String TABLE = "sweep.parquet";
    public static final String SUMMARY = "sweep.json";
    /** A finished trial's record in its run folder (its row of the table). */
    public static final String TRIAL_JSON = "trial.json";
    static final String POOL = "spark.scheduler.pool";
    private static final Pattern TRIAL_DIR = Pattern.compile("trial=(\\d{4,})");

    /** The finished trials (all of the plan's, in trial order), the winner (null: none complete) and the files written. */
    public record Result(List<TrialResult> results, TrialResult winner, List<String> written) {
        /**
         * What {@code readout sweep} prints at the end: the table of trials, the seed groups (when the space has
         * seeds), the winner and the files written.
         */
        public String format(SweepConfig plan) {
            StringBuilder b = new StringBuilder(SweepTable.format(results, new ArrayList<>(plan.spec().space().keySet()),
                    winner));
            List<SeedGroups.Group> bySeed = SeedGroups.of(results, plan.spec().space());
            if (!bySeed.isEmpty()) {
                b.append(SeedGroups.format(bySeed));
            }
            b.append(winnerLine(plan, winner)).append(System.lineSeparator());
            for (String path : written) {
                b.append("wrote ").append(path).append(System.lineSeparator());
            }
            return b.toString();
        }

        private static String winnerLine(SweepConfig plan, TrialResult w) {
            String select = plan.spec().select();
            if (w == null) {
                return "no winner: no trial is complete";
            }
            return String.format(Locale.ROOT,
                    "winner: trial %s (%s), %s %.4f at epoch %d; test accuracy %.4f, worst-group %.4f, group-mean %.4f;"
                            + " run %s",
                    Trial.label(w.trial()), plan.plan().get(w.trial()).describe(), select, w.selected(select),
                    w.selectedEpoch(), w.test().accuracy(), w.test().worstGroupAccuracy(),
                    w.test().groupMeanAccuracy(), w.run());
        }
    }

    /** What a trial still needs. */
    enum Stage { TRAIN, RESUME, EVALUATE, FINISHED }

    private record State(Trial trial, RunDir run, Stage stage, TrialResult result) {
    }

    private SweepJob() {
    }

    public static Result run(SparkSession spark, SweepConfig config, PrintStream out) {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        SweepSpec spec = config.spec();
        LOG.info("sweep: {}", spec.toJson());
        checkData(conf, config);
        RunDir sweep = new RunDir(conf, spec.out());
        refuseSpecAsSummary(sweep, config);
        if (config.overwrite()) {
            for (String name : List.of(SweepConfig.TRIALS, TABLE, SUMMARY)) {
                sweep.delete(name);
            }
        }
        List<State> states = inspect(conf, sweep, config);
        Progress progress = new Progress(spark, sweep, config);
        List<State> pending = new ArrayList<>();
        int interrupted = 0;
        for (State s : states) {
            if (s.stage() == Stage.FINISHED) {
                progress.results.put(s.trial().id(), s.result());
            } else if (s.trial().id() < config.limit()) {
                pending.add(s);
                interrupted += s.stage() == Stage.TRAIN ? 0 : 1;
            }
        }
        out.printf("sweep %s: %d trials (%s over %s), select %s; %d finished earlier, %d to run%s, %d at a time%n",
                HadoopInputs.display(new Path(sweep.dir())), config.plan().size(), spec.search(),
                String.join(", ", spec.space().keySet()), spec.select(), progress.results.size(), pending.size(),
                interrupted > 0 ? " (" + interrupted + " interrupted)" : "", spec.concurrent());
        RuntimeException failure = runAll(spark, pending, config, progress, out);
        progress.write();
        if (failure != null) {
            throw failure;
        }
        return progress.result();
    }

    /** Runs the pending trials, up to {@code concurrent} at once; after a failure no further trial starts. */
    private static RuntimeException runAll(SparkSession spark, List<State> pending, SweepConfig config,
                                           Progress progress, PrintStream out) {
        if (pending.isEmpty()) {
            return null;
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(config.spec().concurrent(), pending.size()), r -> {
            Thread t = new Thread(r, "readout-sweep-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<?>> futures = new ArrayList<>();
        for (State s : pending) {
            futures.add(pool.submit(() -> {
                if (stop.get()) {
                    return;
                }
                try {
                    runTrial(spark, s, config, progress, out);
                } catch (RuntimeException | Error e) {
                    stop.set(true);
                    throw e;
                }
            }));
        }
        RuntimeException failure = null;
        try {
            for (int i = 0; i < futures.size(); i++) {
                try {
                    futures.get(i).get();
                } catch (ExecutionException e) {
                    if (failure == null) {
                        failure = failed(pending.get(i).trial(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop.set(true);
            failure = new IllegalStateException("the sweep was interrupted", e);
        } finally {
            pool.shutdown();
        }
        return failure;
    }

    private static RuntimeException failed(Trial trial, Throwable cause) {
        String where = "trial " + trial.label() + " (" + trial.describe() + "): ";
        BadInputException bad = BadInputException.findIn(cause);
        if (bad == null) {
            bad = UnreadableInput.find(cause);
        }
        if (bad != null) {
            return new BadInputException(where + bad.getMessage(), cause);
        }
        return new IllegalStateException(where + cause, cause);
    }

    /** One trial on this driver thread, in its own scheduler pool: train, evaluate, record. */
    private static void runTrial(SparkSession spark, State state, SweepConfig config, Progress progress,
                                 PrintStream out) {
        Trial trial = state.trial();
        RunDir run = state.run();
        SparkContext sc = spark.sparkContext();
        sc.setLocalProperty(POOL, "sweep-" + trial.dirName());
        sc.setJobDescription("readout sweep " + trial.dirName());
        PrintStream trialOut = PrefixedLines.printStream(out, "trial " + trial.label() + "  ");
        try {
            if (run.exists(TRIAL_JSON)) {
                run.delete(TRIAL_JSON); // stale: the run is being resumed or evaluated again
            }
            if (state.stage() != Stage.EVALUATE) {
                trialOut.println((state.stage() == Stage.RESUME ? "resuming " : "training ") + trial.describe());
                try {
                    TrainJob.run(spark, trial.config(), true, false, trialOut);
                } catch (TrainingDivergedException e) {
                    trialOut.println("diverged: " + e.getMessage());
                    progress.finished(record(run, new TrialResult(trial.id(), run.dir(), TrialResult.DIVERGED,
                            trial.values(), SweepSpec.compactJson(trial.config().toJson()), null, null, null, null,
                            null, trainingSeconds(run), e.getMessage())));
                    return;
                }
            } else {
                trialOut.println("evaluating the selected model of " + trial.describe());
            }
            TrialResult result = evaluate(spark, trial, run, config.spec().select());
            trialOut.printf("%s %.4f at epoch %d; test accuracy %.4f, worst-group %.4f, group-mean %.4f (%.1f s)%n",
                    config.spec().select(), result.selected(config.spec().select()), result.selectedEpoch(),
                    result.test().accuracy(), result.test().worstGroupAccuracy(), result.test().groupMeanAccuracy(),
                    result.seconds());
            progress.finished(record(run, result));
        } finally {
            trialOut.close();
            sc.setLocalProperty(POOL, null);
            sc.setJobDescription(null);
        }
    }

    /** best.zip (the epoch the run selected on validation) and model.zip (the final epoch) on val and test. */
    private static TrialResult evaluate(SparkSession spark, Trial trial, RunDir run, String select) {
        TrainConfig c = trial.config();
        long t0 = System.nanoTime();
        List<SplitMetrics> metrics = EvaluateJob.run(spark, new EvaluateConfig(run.dir(), c.data(), "all", "best",
                c.evalBatch())).metrics();
        List<SplitMetrics> last = EvaluateJob.run(spark, new EvaluateConfig(run.dir(), c.data(), "all", "final",
                c.evalBatch())).metrics();
        double evaluationSeconds = (System.nanoTime() - t0) / 1e9;
        // history.json: the selection the run trained with and the epoch it selected
        JsonNode history = tree(run.readText(RunDir.HISTORY), run.path(RunDir.HISTORY));
        JsonNode historySelect = history.get("select");
        if (historySelect == null || !select.equals(historySelect.textValue())) {
            throw new IllegalStateException(run.path(RunDir.HISTORY) + " selects by "
                    + (historySelect == null || historySelect.isNull() ? null
                    : historySelect.isTextual() ? historySelect.textValue() : historySelect));
        }
        JsonNode bestEpoch = history.get(TrainingHistory.BEST_EPOCH);
        if (bestEpoch == null || !bestEpoch.isNumber()) {
            throw new IllegalStateException(run.path(RunDir.HISTORY) + " has no best_epoch");
        }
        return new TrialResult(trial.id(), run.dir(), TrialResult.COMPLETE, trial.values(),
                SweepSpec.compactJson(c.toJson()), bestEpoch.intValue(),
                TrialResult.Scores.of(split(metrics, Split.VAL)), TrialResult.Scores.of(split(metrics, Split.TEST)),
                TrialResult.Scores.of(split(last, Split.VAL)), TrialResult.Scores.of(split(last, Split.TEST)),
                trainingSeconds(run) + evaluationSeconds, null);
    }

    private static SplitMetrics split(List<SplitMetrics> metrics, Split split) {
        return metrics.stream().filter(m -> m.split().equals(split.column())).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + split.column() + " metrics"));
    }

    /** The per-epoch seconds of history.json, summed (epochs trained before a resume included). */
    private static double trainingSeconds(RunDir run) {
        if (!run.exists(RunDir.HISTORY)) {
            return 0;
        }
        JsonNode epochs = tree(run.readText(RunDir.HISTORY), run.path(RunDir.HISTORY)).path("epochs");
        double seconds = 0;
        if (epochs.isArray()) {
            for (JsonNode e : epochs) {
                if (e.isObject() && e.path("seconds").isNumber()) {
                    seconds += e.get("seconds").doubleValue();
                }
            }
        }
        return seconds;
    }

    /** A JSON object file as a tree; bad input naming {@code where} when it is not one. */
    private static JsonNode tree(String json, String where) {
        return Json.mapper().valueToTree(Json.readObject(json, where));
    }

    private static TrialResult record(RunDir run, TrialResult result) {
        run.writeText(TRIAL_JSON, Json.write(result.toJson()));
        return result;
    }

    /** Every trial's data folder is a prepared dataset, before anything is written. */
    private static void checkData(Configuration conf, SweepConfig config) {
        Set<String> data = new LinkedHashSet<>();
        config.trials().forEach(t -> data.add(t.config().data()));
        HadoopInputs inputs = new HadoopInputs(conf);
        for (String d : data) {
            try {
                ExamplesTable.open(inputs, d, "--data");
            } catch (BadInputException e) {
                throw new BadInputException(config.file() + ": " + e.getMessage(), e);
            }
        }
    }

    /** The summary would replace the sweep file itself. */
    private static void refuseSpecAsSummary(RunDir sweep, SweepConfig config) {
        Path spec = new Path(config.file());
        try {
            spec = spec.getFileSystem(sweep.conf()).makeQualified(spec);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (spec.equals(new Path(sweep.path(SUMMARY)))) {
            throw new BadInputException(config.file() + ": the sweep writes its summary to OUT/" + SUMMARY
                    + "; keep the sweep file outside \"out\" or give it another name");
        }
    }

    /** Each trial's stage, from its run folder; refuses folders that do not belong to this plan. */
    private static List<State> inspect(Configuration conf, RunDir sweep, SweepConfig config) {
        List<String> changed = new ArrayList<>();
        Path trials = new Path(sweep.path(SweepConfig.TRIALS));
        try {
            FileSystem fs = sweep.fs();
            if (fs.exists(trials)) {
                for (FileStatus s : fs.listStatus(trials)) {
                    Matcher m = TRIAL_DIR.matcher(s.getPath().getName());
                    if (m.matches() && Integer.parseInt(m.group(1)) >= config.plan().size()) {
                        changed.add(HadoopInputs.display(s.getPath()) + " is not a trial of this sweep, which plans "
                                + config.plan().size());
                    }
                }
            }
            List<State> states = new ArrayList<>();
            for (Trial trial : config.plan()) {
                RunDir run = new RunDir(conf, trial.config().out());
                Path dir = new Path(run.dir());
                if (!fs.exists(dir) || fs.listStatus(dir).length == 0) {
                    states.add(new State(trial, run, Stage.TRAIN, null));
                    continue;
                }
                if (!run.exists(RunDir.CONFIG)) {
                    changed.add(HadoopInputs.display(dir) + " is not a readout run (no config.json)");
                    continue;
                }
                TrainConfig stored = TrainConfig.fromJson(run.readText(RunDir.CONFIG), run.path(RunDir.CONFIG));
                String difference = difference(SweepConfig.withoutOut(stored), SweepConfig.withoutOut(trial.config()), "");
                if (difference != null) {
                    changed.add(HadoopInputs.display(dir) + " was trained with " + difference);
                    continue;
                }
                states.add(stage(trial, run));
            }
            if (!changed.isEmpty() && !config.overwrite()) {
                throw new BadInputException(config.file() + ": " + changed.get(0)
                        + (changed.size() > 1 ? " (and " + (changed.size() - 1) + " more)" : "")
                        + ": the sweep changed since it ran; pass --overwrite to start it again, or give it another \"out\"");
            }
            return states;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static State stage(Trial trial, RunDir run) {
        TrialResult recorded = run.exists(TRIAL_JSON)
                ? TrialResult.fromJson(tree(run.readText(TRIAL_JSON), run.path(TRIAL_JSON)), trial, run.dir(),
                        run.path(TRIAL_JSON))
                : null;
        if (run.isComplete()) {
            return recorded != null && recorded.isComplete()
                    ? new State(trial, run, Stage.FINISHED, recorded)
                    : new State(trial, run, Stage.EVALUATE, null);
        }
        return recorded != null && TrialResult.DIVERGED.equals(recorded.status())
                ? new State(trial, run, Stage.FINISHED, recorded)
                : new State(trial, run, Stage.RESUME, null);
    }

    /** The first key where two configs differ, as {@code lr 0.01 where this sweep gives 0.003}; null when equal. */
    static String difference(JsonNode was, JsonNode now, String prefix) {
        Set<String> keys = new LinkedHashSet<>();
        was.fieldNames().forEachRemaining(keys::add);
        now.fieldNames().forEachRemaining(keys::add);
        for (String k : keys) {
            JsonNode a = was.get(k);
            JsonNode b = now.get(k);
            if (a != null && a.isObject() && b != null && b.isObject()) {
                String d = difference(a, b, prefix + k + ".");
                if (d != null) {
                    return d;
                }
            } else if (!shown(a).equals(shown(b))) {
                return prefix + k + " " + shown(a) + " where this sweep gives " + shown(b);
            }
        }
        return null;
    }

    /** A config value as Java shows the value Json.readObject gives ({@code 0.01}, {@code erm}, {@code [1, 2]}, {@code null}). */
    private static String shown(JsonNode v) {
        return String.valueOf(v == null ? null : Json.mapper().convertValue(v, Object.class));
    }

    /**
     * sweep.json, the summary: the sweep file, the cpu, where the table is, how far the sweep got, the winner (null:
     * none complete), the groups over seeds and the sweep as planned.
     *
     * @param winner the winner's trial.json, after its trial id and its figure under the select's name, and
     *               followed by its train arguments (an object: the select names a key)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    @JsonPropertyOrder({"config", "cpu", "out", "search", "select", "trials", "finished", "complete", "table", "winner",
            "by_seed", "sweep"})
    record Summary(String config, MachineCpu cpu, String out, String search, String select, int trials, int finished,
                   boolean complete, String table, ObjectNode winner, List<SeedGroups.Group> bySeed,
                   SweepSpec.Recorded sweep) {
    }

    static Summary summary(SweepConfig config, MachineCpu cpu, String out, String table, List<TrialResult> results) {
        SweepSpec spec = config.spec();
        TrialResult winner = SweepTable.winner(results, spec.select()).orElse(null);
        ObjectNode w = null;
        if (winner != null) {
            w = Json.mapper().createObjectNode();
            w.put("trial", winner.trial());
            w.put(spec.select(), winner.selected(spec.select()));
            w.setAll((ObjectNode) Json.mapper().valueToTree(winner.toJson()));
            w.set("args", Json.mapper().valueToTree(config.plan().get(winner.trial()).args()));
        }
        return new Summary(config.file(), cpu, out, spec.search(), spec.select(), config.plan().size(), results.size(),
                results.size() == config.plan().size(), table, w, SeedGroups.of(results, spec.space()), spec.toJson());
    }

    /** The finished trials, and the table and summary rewritten from them under one lock. */
    private static final class Progress {
        private final SparkSession spark;
        private final RunDir sweep;
        private final SweepConfig config;
        private final Map<Integer, TrialResult> results = new TreeMap<>();
        private final List<String> written = new ArrayList<>();

        Progress(SparkSession spark, RunDir sweep, SweepConfig config) {
            this.spark = spark;
            this.sweep = sweep;
            this.config = config;
        }

        synchronized void finished(TrialResult result) {
            results.put(result.trial(), result);
            write();
        }

        synchronized void write() {
            Map<String, List<FlagValue>> space = config.spec().space();
            List<TrialResult> list = new ArrayList<>(results.values());
            try (AtomicOutput table = AtomicOutput.begin(sweep.conf(), sweep.path(TABLE), true, "\"out\"")) {
                spark.createDataFrame(SweepTable.rows(list, space), SweepTable.schema(space)).coalesce(1)
                        .write().mode(SaveMode.Overwrite).parquet(table.tmp());
                table.commit();
            }
            sweep.writeText(SUMMARY, Json.write(summary()));
            written.clear();
            written.add(HadoopInputs.display(new Path(sweep.path(TABLE))));
            written.add(HadoopInputs.display(new Path(sweep.path(SUMMARY))));
        }

        private Summary summary() {
            return SweepJob.summary(config, MachineCpu.current(), sweep.dir(), sweep.path(TABLE),
                    new ArrayList<>(results.values()));
        }

        synchronized Result result() {
            List<TrialResult> list = new ArrayList<>(results.values());
            return new Result(list, SweepTable.winner(list, config.spec().select()).orElse(null), List.copyOf(written));
        }
    }
}
