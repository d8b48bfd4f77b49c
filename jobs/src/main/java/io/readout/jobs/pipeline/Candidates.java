package io.readout.jobs.pipeline;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.readout.common.BadInputException;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.JsonFiles;
import io.readout.jobs.run.PipelineRoot;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;

import java.util.ArrayList;
import java.util.List;

/**
 * Which run of a pipeline retrain offers to the registry: the one the config names, or
 * {@value PipelineSpec#BEST}: the student whose final model has the highest validation worst-group
 * accuracy (ties: higher validation accuracy, then the config's order), or the teacher when there are
 * no students. Validation only: the test split never chooses.
 */
public final class Candidates {
    private Candidates() {
    }

    /** The chosen run's folder name under the root (teacher or students/&lt;m&gt;). */
    public static String choose(Configuration conf, String root, PipelineSpec spec) {
        if (!spec.candidate().equals(PipelineSpec.BEST)) {
            return spec.candidate();
        }
        List<String> students = new ArrayList<>();
        spec.methods().forEach(m -> students.add(PipelineRoot.STUDENTS_DIR + "/" + m));
        if (students.isEmpty()) {
            return PipelineRoot.TEACHER_DIR;
        }
        String best = null;
        double bestWga = Double.NEGATIVE_INFINITY;
        double bestAccuracy = Double.NEGATIVE_INFINITY;
        for (String name : students) {
            RunDir run = new RunDir(conf, HadoopInputs.child(root, name));
            String file = RunDir.METRICS + "/val.json";
            if (!run.exists(file)) {
                throw new BadInputException(run.path(file) + ": missing; evaluate the run on val first");
            }
            ObjectNode val = JsonFiles.readObject(run.readText(file), run.path(file));
            double wga = val.get("worst_group_accuracy").doubleValue();
            double accuracy = val.get("accuracy").doubleValue();
            if (wga > bestWga || wga == bestWga && accuracy > bestAccuracy) {
                best = name;
                bestWga = wga;
                bestAccuracy = accuracy;
            }
        }
        return best;
    }

    /** The run folder name (teacher or students/&lt;m&gt;) a promoted version came from, by its source path. */
    public static String stageOf(String source) {
        String[] parts = source.replaceAll("/+$", "").split("/");
        String last = parts[parts.length - 1];
        if (parts.length >= 2 && parts[parts.length - 2].equals(PipelineRoot.STUDENTS_DIR)) {
            return PipelineRoot.STUDENTS_DIR + "/" + last;
        }
        return last.equals(PipelineRoot.TEACHER_DIR) ? PipelineRoot.TEACHER_DIR : null;
    }

    /** The override that starts {@code stage} from {@code model}: teacher.init=… or methods.&lt;m&gt;.init=…. */
    public static String initOverride(String stage, String model) {
        if (stage.equals(PipelineRoot.TEACHER_DIR)) {
            return PipelineSpec.TEACHER + ".init=" + model;
        }
        return PipelineSpec.METHODS + "." + stage.substring(PipelineRoot.STUDENTS_DIR.length() + 1) + ".init=" + model;
    }
}
