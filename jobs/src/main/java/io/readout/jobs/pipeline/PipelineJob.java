package io.readout.jobs.pipeline;

import io.readout.common.BadInputException;
import io.readout.common.Durations;
import io.readout.common.Json;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.aggregate.AggregateFiles;
import io.readout.jobs.aggregate.MethodsTable;
import io.readout.jobs.io.FolderLock;
import io.readout.jobs.io.PrefixedLines;
import io.readout.jobs.run.PipelineRoot;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;
import scala.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * {@code readout pipeline}: runs the stages of a {@link PipelineSpec} ({@link StagePlan}) one after
 * another, in this process and on this Spark session. Each stage is written as the readout commands a
 * person would type (shown, recorded and hashed as such); the command line that runs the pipeline parses
 * each into its job's typed config ({@link StageCommands}), and the pipeline calls the job ({@link StageJob}).
 *
 * <p>Idempotent: a stage's hash covers its command, the listings of its raw inputs and the output ids of
 * the stages it reads. Before it starts, {@code ROOT/stages/<stage>.json} records the hash with status
 * {@code running}; when it ends, status {@code done} and a fresh output id. A rerun then
 * <ul>
 *   <li>skips a stage whose record is done with the same hash and whose output is complete;</li>
 *   <li>resumes a stage that died with the same hash (a training run from its last checkpoint; a table or
 *       evaluation is simply written again, atomically);</li>
 *   <li>runs afresh ({@code --overwrite}) a stage whose hash changed; its new output id changes the hash
 *       of every stage downstream, so they run again too.</li>
 * </ul>
 * Every command is parsed and validated before the first stage starts, so a bad key fails at once, naming it.
 */
public final class PipelineJob {
    /** What each stage did and how the run ended. */
    public record Result(int exitCode, List<StageOutcome> stages, String root) {
    }

    /** A stage's fate in this run. */
    public record StageOutcome(String stage, String action, double seconds) {
    }

    private final SparkSession spark;
    private final StageCommands commands;
    private final Configuration conf;
    private final PrintStream out;
    private final PrintStream err;

    /** A pipeline on {@code spark} whose stage commands {@code commands} parse; results on out, one-line errors on err. */
    public PipelineJob(SparkSession spark, StageCommands commands, PrintStream out, PrintStream err) {
        this.spark = spark;
        this.commands = commands;
        this.conf = spark.sparkContext().hadoopConfiguration();
        this.out = out;
        this.err = err;
    }

    /** The Hadoop configuration of the pipeline's session: how its folders are read and written. */
    public Configuration conf() {
        return conf;
    }

    /**
     * What {@code readout pipeline} does: runs the pipeline, then prints its methods table (over the seeds
     * and paired, for a seed list) and where the report is; with {@code dryRun}, what a run would do. Returns
     * the exit code: a failed stage's.
     */
    public int runAndReport(PipelineSpec spec, boolean dryRun) {
        if (dryRun) {
            out.print(describe(spec));
            return 0;
        }
        Result result = run(spec);
        if (result.exitCode() != 0) {
            return result.exitCode();
        }
        out.println();
        if (spec.hasSeedList()) {
            AggregateFiles.Aggregate aggregate = AggregateFiles.read(conf,
                    HadoopInputs.child(result.root(), PipelineRoot.AGGREGATE_DIR));
            out.print(MethodsTable.formatSeeds(aggregate.methods(), spec.seeds()));
            String paired = MethodsTable.formatPaired(aggregate.paired(),
                    aggregate.methods().stream().map(AggregateFiles.Method::run).distinct().toList());
            if (!paired.isEmpty()) {
                out.println();
                out.print(paired);
            }
            out.println("aggregate: " + HadoopInputs.display(new Path(HadoopInputs.child(result.root(),
                    PipelineRoot.AGGREGATE_DIR + "/" + AggregateFiles.METHODS_JSON))));
        } else {
            out.print(MethodsTable.format(MethodsTable.read(conf, result.root(), PipelineRoot.runs(spec.methods()))));
        }
        if (spec.reports()) {
            out.println("report: " + HadoopInputs.display(new Path(HadoopInputs.child(result.root(),
                    PipelineRoot.REPORT_DIR + "/report.html"))));
        }
        return 0;
    }

    public Result run(PipelineSpec spec) {
        RunDir root = new RunDir(conf, spec.out());
        List<Stage> stages = StagePlan.of(spec, root.dir());
        for (Stage s : stages) {
            check(s);
        }
        // One pipeline at a time per root (exit code 3 while another runs; a killed run's lock is broken).
        try (FolderLock lock = FolderLock.take(conf, root.dir(), "--out")) {
            return runStages(root, stages, spec);
        }
    }

    private Result runStages(RunDir root, List<Stage> stages, PipelineSpec spec) {
        root.writeText(PipelineRoot.CONFIG, Json.write(spec.toJson()));
        long t0 = System.nanoTime();
        out.printf("pipeline %s: %d stages (%s)%n", HadoopInputs.display(new Path(root.dir())), stages.size(),
                String.join(", ", stages.stream().map(Stage::name).toList()));
        if (spec.hasSeedList()) {
            out.print(seedsLine(spec));
        }
        Map<String, String> outputIds = new LinkedHashMap<>();
        List<StageOutcome> outcomes = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            Stage stage = stages.get(i);
            String tag = "[" + (i + 1) + "/" + stages.size() + "] " + stage.name();
            String hash = hash(stage, outputIds);
            StageRecord record = StageRecord.read(root, stage);
            boolean complete = isComplete(stage);
            if (record != null && record.isDone() && record.hash().equals(hash) && complete) {
                out.printf("%s: up to date, skipped%n", tag);
                outputIds.put(stage.name(), record.outputId());
                outcomes.add(new StageOutcome(stage.name(), "skipped", 0));
                continue;
            }
            boolean resume = record != null && !record.isDone() && record.hash().equals(hash);
            List<List<String>> commands = new ArrayList<>();
            for (List<String> c : stage.commands()) {
                List<String> command = new ArrayList<>(c);
                command.addAll(rerunFlags(stage, resume));
                commands.add(command);
            }
            String action = resume ? "resumed" : record != null && !record.hash().equals(hash) ? "rerun (inputs changed)"
                    : "run";
            Instant started = Instant.now();
            StageRecord.running(stage, hash, started, commands).write(root, stage);
            out.printf("%s: %s at %s, %s elapsed%n", tag, resume ? "resuming" : "starting",
                    started.toString().substring(11, 19), Durations.format(seconds(t0)));
            long s0 = System.nanoTime();
            int code = 0;
            describeSparkJobs("readout pipeline " + tag);
            try {
                for (List<String> command : commands) {
                    out.println("    " + Stage.display(command));
                    try (PrintStream indented = PrefixedLines.printStream(out, "    ")) {
                        code = runCommand(command, indented);
                    }
                    if (code != 0) {
                        break;
                    }
                }
            } finally {
                describeSparkJobs(null);
            }
            double took = seconds(s0);
            if (code != 0) {
                out.printf("%s: failed (exit code %d) after %s; rerun the pipeline to resume it%n", tag, code,
                        Durations.format(took));
                outcomes.add(new StageOutcome(stage.name(), "failed", took));
                return new Result(code, outcomes, root.dir());
            }
            if (!isComplete(stage)) {
                throw new IllegalStateException(stage.name() + ": its commands succeeded but " + stage.output()
                        + " is not complete");
            }
            String outputId = UUID.randomUUID().toString();
            StageRecord.done(stage, hash, started, Instant.now(), took, outputId, commands).write(root, stage);
            outputIds.put(stage.name(), outputId);
            outcomes.add(new StageOutcome(stage.name(), action, took));
            out.printf("%s: done in %s, %s elapsed%n", tag, Durations.format(took), Durations.format(seconds(t0)));
        }
        out.printf("pipeline done in %s: %d run, %d skipped%n", Durations.format(seconds(t0)),
                outcomes.stream().filter(o -> !o.action().equals("skipped")).count(),
                outcomes.stream().filter(o -> o.action().equals("skipped")).count());
        return new Result(0, outcomes, root.dir());
    }

    /** One command of a stage: its job run as the command line would run it; the exit code. */
    private int runCommand(List<String> command, PrintStream indented) {
        try {
            StageJob.of(command, commands).run(spark, indented);
            return 0;
        } catch (RuntimeException e) {
            return commands.failed(Stage.display(List.of(command.get(0))), e, err);
        }
    }

    /** What a run would do now, stage by stage (nothing is run or written): {@code readout pipeline --dry-run}. */
    public String describe(PipelineSpec spec) {
        RunDir root = new RunDir(conf, spec.out());
        List<Stage> stages = StagePlan.of(spec, root.dir());
        for (Stage s : stages) {
            check(s);
        }
        StringBuilder b = new StringBuilder(String.format("pipeline %s: %d stages%n",
                HadoopInputs.display(new Path(root.dir())), stages.size()));
        if (spec.hasSeedList()) {
            b.append(seedsLine(spec));
        }
        String scope = spec.hasSeedList() ? null : "";
        Map<String, String> outputIds = new LinkedHashMap<>();
        for (int i = 0; i < stages.size(); i++) {
            Stage stage = stages.get(i);
            StageRecord record = StageRecord.read(root, stage);
            String hash = hash(stage, outputIds);
            String what;
            if (record != null && record.isDone() && record.hash().equals(hash) && isComplete(stage)) {
                what = "up to date, would be skipped";
                outputIds.put(stage.name(), record.outputId());
            } else {
                what = record != null && !record.isDone() && record.hash().equals(hash) ? "would resume"
                        : record == null ? "would run" : "would run again (its inputs changed)";
                outputIds.put(stage.name(), "new");
            }
            if (!stage.scope().equals(scope)) { // a heading per seed (and for the shared stages) of a seed list
                scope = stage.scope();
                b.append(scope.isEmpty() ? "under ROOT:" : "under ROOT/" + scope + ":").append('\n');
            }
            b.append(String.format("[%d/%d] %s: %s%n", i + 1, stages.size(), stage.name(), what));
            for (List<String> command : stage.commands()) {
                b.append("    ").append(Stage.display(command)).append('\n');
            }
        }
        return b.toString();
    }

    /**
     * Names this thread's Spark jobs after the pipeline stage they belong to (null: no name), so the Spark
     * UI's jobs page and the history server list a run's jobs under its stages.
     */
    private static void describeSparkJobs(String description) {
        Option<SparkSession> session = SparkSession.getActiveSession();
        if (session.isEmpty()) {
            session = SparkSession.getDefaultSession();
        }
        if (session.isDefined()) {
            session.get().sparkContext().setJobDescription(description);
        }
    }

    /** Which seeds run where, and what they share. */
    private static String seedsLine(PipelineSpec spec) {
        String data = spec.data() != null ? "the data " + spec.data()
                : spec.dataSeed() != null ? "prepare (data_seed " + spec.dataSeed() + ", ROOT/data)"
                : "nothing before the aggregate (each seed prepares its own data)";
        return String.format("seeds %s, each under ROOT/seed=S/; shared: %s%n",
                String.join(", ", spec.seeds().stream().map(String::valueOf).toList()), data);
    }

    /** A stage's commands must parse and validate as their commands' (a bad key in the config fails here). */
    private void check(Stage stage) {
        for (List<String> command : stage.commands()) {
            try {
                StageJob.of(command, commands);
            } catch (BadInputException e) {
                throw new BadInputException("stage " + stage.name() + ": " + e.getMessage()
                        + " (in: " + Stage.display(command) + ")", e);
            }
        }
    }

    private static List<String> rerunFlags(Stage stage, boolean resume) {
        return switch (stage.kind()) {
            case RUN -> List.of(resume ? "--resume" : "--overwrite");
            case TABLE -> List.of("--overwrite");
            case EVALUATION, REPORT, AGGREGATE -> List.of();
        };
    }

    private boolean isComplete(Stage stage) {
        RunDir dir = new RunDir(conf, stage.output());
        return switch (stage.kind()) {
            case TABLE, RUN, REPORT, AGGREGATE -> dir.isComplete();
            case EVALUATION -> List.of("", "best/").stream().allMatch(m -> dir.exists(RunDir.METRICS + "/" + m + "val.json")
                    && dir.exists(RunDir.METRICS + "/" + m + "test.json"));
        };
    }

    /** SHA-256 of the command, the upstream output ids and the listings of the raw inputs. */
    String hash(Stage stage, Map<String, String> outputIds) {
        MessageDigest d = sha256();
        update(d, "stage " + stage.name());
        for (List<String> command : stage.commands()) {
            update(d, "command " + String.join("\u0001", command));
        }
        for (String up : stage.upstream()) {
            update(d, "upstream " + up + " " + outputIds.get(up));
        }
        for (String input : stage.inputs()) {
            update(d, "input " + input + " " + listing(input));
        }
        return HexFormat.of().formatHex(d.digest());
    }

    /** Every file under {@code path}: relative name, length and modification time, sorted. */
    private String listing(String path) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(conf);
            if (!fs.exists(p)) {
                return "missing";
            }
            FileStatus top = fs.getFileStatus(p);
            Map<String, String> files = new TreeMap<>();
            if (top.isFile()) {
                files.put("", top.getLen() + "@" + top.getModificationTime());
            } else {
                String prefix = top.getPath().toUri().getPath();
                RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
                while (it.hasNext()) {
                    LocatedFileStatus f = it.next();
                    files.put(f.getPath().toUri().getPath().substring(prefix.length()),
                            f.getLen() + "@" + f.getModificationTime());
                }
            }
            return files.toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void update(MessageDigest d, String s) {
        d.update(s.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
