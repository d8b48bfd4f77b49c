package io.readout.jobs.pipeline;

import io.readout.common.BadInputException;
import io.readout.common.Durations;
import io.readout.common.Json;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.ReadoutCli;
import io.readout.jobs.io.PrefixedLines;
import io.readout.jobs.registry.FolderLock;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;

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
 * another, each as the readout command a person would type, in this process and on this Spark session.
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
 * Every command is parsed before the first stage starts, so a bad key fails at once, naming it.
 */
public final class PipelineJob {
    public static final String CONFIG = "pipeline.json";
    public static final String STAGES = "stages";

    /** What each stage did and how the run ended. */
    public record Result(int exitCode, List<StageOutcome> stages, String root) {
    }

    /** A stage's fate in this run. */
    public record StageOutcome(String stage, String action, double seconds) {
    }

    private final ReadoutCli cli;
    private final Configuration conf;
    private final PrintStream out;
    private final PrintStream err;

    public PipelineJob(ReadoutCli cli, Configuration conf, PrintStream out, PrintStream err) {
        this.cli = cli;
        this.conf = conf;
        this.out = out;
        this.err = err;
    }

    public Result run(PipelineSpec spec) {
        RunDir root = new RunDir(conf, spec.root());
        List<Stage> stages = StagePlan.of(spec, root.dir());
        for (Stage s : stages) {
            check(s);
        }
        // One pipeline at a time per root (exit code 3 while another runs; a killed run's lock is broken).
        try (FolderLock lock = FolderLock.take(conf, root.dir(), "--root")) {
            return runStages(root, stages, spec);
        }
    }

    private Result runStages(RunDir root, List<Stage> stages, PipelineSpec spec) {
        root.writeText(CONFIG, Json.write(spec.toJson()));
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
                        code = cli.nested(command.toArray(String[]::new), indented, err);
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

    /** What a run would do now, stage by stage (nothing is run or written): {@code readout pipeline --dry-run}. */
    public String describe(PipelineSpec spec) {
        RunDir root = new RunDir(conf, spec.root());
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
        scala.Option<SparkSession> session = SparkSession.getActiveSession();
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

    /** The run folders of a spec (the teacher, then each student), relative to its root (a seed's folder). */
    public static List<String> runs(PipelineSpec spec) {
        List<String> runs = new ArrayList<>(List.of(StagePlan.TEACHER_DIR));
        spec.methods().forEach(m -> runs.add(StagePlan.STUDENTS_DIR + "/" + m));
        return runs;
    }

    /** A stage's command must parse as readout's command line (a bad key in the config fails here). */
    private static void check(Stage stage) {
        for (List<String> command : stage.commands()) {
            try {
                ReadoutCli.parseOnly(command.toArray(String[]::new));
            } catch (CommandLine.ParameterException e) {
                throw new BadInputException("stage " + stage.name() + ": " + e.getMessage().replace('\n', ' ')
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
