package io.readout.jobs.cli;

import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.pipeline.PipelineSpec;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code readout demo}: the whole pipeline on the embedded default, the {@code synthetic} dataset (or
 * {@code dominoes} from {@code --data-dir}), every method, seeds 0, 1 and 2 (unless {@code --seed} or
 * {@code --seeds}), then the methods table over the seeds and the report's path.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"The whole pipeline on the embedded synthetic data.",
            "The embedded default: seeds 0, 1 and 2, the synthetic dataset, a teacher and the",
            "erm, kd, jtt, dedier and sifer students per seed, evaluated, aggregated (mean ± std) and reported;",
            "dedier at --beta 4 --lambda 0.5, chosen on validation (docs/BENCHMARKS.md).",
            "A few minutes on 2 cores; --seed S for one seed, --seeds S,S for others.",
            "With --data-dir: the dominoes benchmark from its IDX folders (mnist-10k/, fashion-mnist/).",
            "Run it again to see every stage skipped; the report is ROOT/report/report.html."},
        footer = {"", "Examples:",
            "  readout demo",
            "  readout demo --data-dir ../shared/data --out /tmp/readout-dominoes"})
public final class DemoCommand implements Callable<Integer> {
    static final String DOMINOES_CONFIG = "/io/readout/jobs/pipeline/demo-dominoes.json";

    @ParentCommand
    private CommandContext context;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "A folder with the MNIST (mnist-10k/) and Fashion-MNIST (fashion-mnist/) IDX folders: run on dominoes.")
    String dataDir;

    @Mixin
    PipelineOptions options = new PipelineOptions();

    @Override
    public Integer call() {
        List<String> first = new ArrayList<>();
        first.add(PipelineSpec.OUT + "=" + Path.of(System.getProperty("java.io.tmpdir"),
                dataDir == null ? "readout-demo" : "readout-demo-dominoes"));
        String json;
        if (dataDir == null) {
            json = PipelineCommand.embedded(PipelineCommand.DEMO_CONFIG);
        } else {
            new HadoopInputs(new Configuration()).requireDirectory(dataDir, "--data-dir");
            json = PipelineCommand.embedded(DOMINOES_CONFIG);
            first.add("prepare.mnist=" + HadoopInputs.child(dataDir, "mnist-10k"));
            first.add("prepare.fashion=" + HadoopInputs.child(dataDir, "fashion-mnist"));
        }
        PipelineSpec spec = PipelineSpec.parse(json, "the embedded demo config", options.overrides(first));
        return PipelineCommand.job(context, "pipeline").runAndReport(spec, options.dryRun);
    }
}
