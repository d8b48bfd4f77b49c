package io.readout.jobs.cli;

import io.readout.common.BadInputException;
import io.readout.datasets.io.HadoopInputs;
import io.readout.datasets.text.SyntheticComments;
import io.readout.jobs.io.AtomicOutput;
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
            "With --text: generated comments in the CivilComments layout, featurized (TF-IDF).",
            "Run it again to see every stage skipped; the report is ROOT/report/report.html."},
        footer = {"", "Examples:",
            "  readout demo",
            "  readout demo --data-dir ../shared/data --out /tmp/readout-dominoes",
            "  readout demo --text"})
public final class DemoCommand implements Callable<Integer> {
    static final String DOMINOES_CONFIG = "/io/readout/jobs/pipeline/demo-dominoes.json";
    static final String COMMENTS_CONFIG = "/io/readout/jobs/pipeline/demo-comments.json";
    /**
     * The generated comments of {@code --text}: few training comments, 40 rare core words per class, the identity
     * term agreeing with the label in 99 % of them (docs/BENCHMARKS.md, "Text").
     */
    static final SyntheticComments.Options COMMENTS = new SyntheticComments.Options(1500,
            SyntheticComments.DEFAULT_N_VAL, SyntheticComments.DEFAULT_N_TEST, 0.99, 0, 40, 12, 30, 0);

    @ParentCommand
    private CommandContext context;

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "A folder with the MNIST (mnist-10k/) and Fashion-MNIST (fashion-mnist/) IDX folders: run on dominoes.")
    String dataDir;

    @Option(names = "--text", description = "The text variant: generated comments in the CivilComments layout"
            + " (readout generate), prepared, featurized (TF-IDF) and trained on by every method.")
    boolean text;

    @Mixin
    PipelineOptions options = new PipelineOptions();

    @Override
    public Integer call() {
        if (text && dataDir != null) {
            throw new BadInputException("--text and --data-dir: choose one (the text demo generates its comments)");
        }
        List<String> first = new ArrayList<>();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        first.add(PipelineSpec.OUT + "=" + tmp.resolve(text ? "readout-demo-comments"
                : dataDir == null ? "readout-demo" : "readout-demo-dominoes"));
        String json;
        if (text) {
            String source = tmp.resolve("readout-demo-comments-source").toString();
            Configuration conf = HadoopInputs.local().conf();
            if (!AtomicOutput.isComplete(conf, source) && !options.dryRun) {
                GenerateCommand.write(conf, COMMENTS, source, true);
            }
            json = PipelineCommand.embedded(COMMENTS_CONFIG);
            first.add("prepare.source=" + source);
        } else if (dataDir == null) {
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
