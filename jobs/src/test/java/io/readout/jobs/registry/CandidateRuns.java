package io.readout.jobs.registry;

import io.readout.common.Json;
import io.readout.common.metrics.GroupAccuracy;
import io.readout.common.metrics.SplitMetrics;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Complete run dirs as a candidate for the registry, with chosen val figures, on any Hadoop file system. */
public final class CandidateRuns {
    private CandidateRuns() {
    }

    /** A run dir at {@code dir} with val worst-group accuracy {@code wga} and average {@code acc}. */
    public static String write(Configuration conf, String dir, double wga, double acc) {
        Path d = new Path(dir);
        try {
            FileSystem fs = d.getFileSystem(conf);
            text(fs, new Path(d, "model.zip"), "model of " + dir);
            text(fs, new Path(d, "best.zip"), "best of " + dir);
            text(fs, new Path(d, "config.json"), Json.write(Map.of("method", "erm", "arch", "student", "seed", 7)));
            text(fs, new Path(d, "history.json"), Json.write(Map.of("select", "val_accuracy", "best_epoch", 1,
                    "epochs", List.of(Map.of("epoch", 1, "val_accuracy", acc, "val_wga", wga)))));
            text(fs, new Path(d, "metrics/val.json"), Json.write(metrics("val", wga, acc).toJson()));
            text(fs, new Path(d, "metrics/test.json"), Json.write(metrics("test", wga - 0.01, acc - 0.01).toJson()));
            text(fs, new Path(d, "_SUCCESS"), "");
            return fs.makeQualified(d).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SplitMetrics metrics(String split, double wga, double acc) {
        return new SplitMetrics(split, 100, acc, wga, 1, (acc + wga) / 2, wga,
                List.of(new GroupAccuracy(0, 50, acc), new GroupAccuracy(1, 50, wga)));
    }

    static void text(FileSystem fs, Path p, String text) throws IOException {
        try (OutputStream out = fs.create(p, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
