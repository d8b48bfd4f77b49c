package io.readout.jobs.cli;

import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.pipeline.PipelineJob;
import io.readout.jobs.pipeline.PipelineSpec;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code readout pipeline}: a pipeline config, overridden by flags, run by {@link PipelineJob}. */
@Command(name = "pipeline", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Every stage from the data to the report, resumable.",
            "prepare -> teacher -> teacher pass -> students -> evaluate -> report, each stage a folder under one root.",
            "Rerunning skips complete stages (by _SUCCESS and a hash of their command and inputs),",
            "resumes one that died, and reruns a stage whose inputs changed and everything downstream."},
        footer = {"", "pipeline.json (keys of each section are the flags of its command, without dashes):",
            "  {\"out\": \"/tmp/readout/dominoes\", \"seed\": 0,",
            "   \"prepare\": {\"dataset\": \"dominoes\", \"mnist\": \"data/mnist-10k\",",
            "               \"fashion\": \"data/fashion-mnist\"},",
            "   \"train\": {\"epochs\": 8},                 (every run)",
            "   \"teacher\": {\"arch\": \"teacher\"},",
            "   \"teacher_probs\": {\"temperature\": 2},",
            "   \"students\": {\"arch\": \"student\",",
            "                \"methods\": [\"erm\", \"kd\", \"jtt\", \"dedier\", \"sifer\"]},",
            "   \"methods\": {\"dedier\": {\"beta\": 2}, \"sifer\": {\"forget-every\": 5}},",
            "   \"evaluate\": {}, \"report\": {}}         (\"report\": false: no report stage)",
            "\"seeds\": [0, 1, 2] instead of \"seed\": the stages once per seed under ROOT/seed=S/",
            "(\"data_seed\": N: one prepare for every seed, under ROOT/data/), then",
            "ROOT/aggregate/ (mean ± std over the seeds).",
            "Without --config: the embedded demo config (synthetic data).",
            "", "Example:",
            "  readout pipeline --config deploy/config/pipeline-dominoes.json \\",
            "      --out /tmp/readout/dom --epochs 2"})
public final class PipelineCommand implements Callable<Integer> {
    /** The embedded config: the synthetic dataset, every method. */
    static final String DEMO_CONFIG = "/io/readout/jobs/pipeline/demo.json";

    @ParentCommand
    private CommandContext context;

    @Option(names = "--config", paramLabel = "FILE", description = "The pipeline config (JSON; any Hadoop URI).")
    String config;

    @Mixin
    PipelineOptions options = new PipelineOptions();

    @Override
    public Integer call() {
        String json = config != null ? read(config) : embedded(DEMO_CONFIG);
        PipelineSpec spec = PipelineSpec.parse(json, config != null ? config : "the embedded demo config",
                options.overrides(List.of()));
        return job(context, "pipeline").runAndReport(spec, options.dryRun);
    }

    /**
     * The pipeline job of a command that runs one ({@code pipeline}, {@code demo}, {@code retrain}): on a
     * session with Spark's console progress bar on for its long jobs, its stages parsed as this command line
     * parses them.
     */
    static PipelineJob job(CommandContext context, String command) {
        return new PipelineJob(session(context, command), new PipelineStages(), context.out(), context.err());
    }

    /** A pipeline config file's text (any Hadoop URI), named --config in errors. */
    static String read(String config) {
        return new String(HadoopInputs.local().readAll(config, "--config"), StandardCharsets.UTF_8);
    }

    /** The session of a command that runs a pipeline: Spark's console progress bar on for its long jobs. */
    static SparkSession session(CommandContext context, String command) {
        return context.spark(command, Map.of("spark.ui.showConsoleProgress", "true"));
    }

    static String embedded(String resource) {
        try (InputStream in = PipelineCommand.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
