package io.readout.jobs.sweep;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.jobs.flags.JobFlags;
import io.readout.jobs.train.TrainConfig;
import io.readout.jobs.train.TrainJob;
import org.apache.hadoop.fs.Path;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code readout sweep}: the sweep file, what it says, every trial planned from it (each a train config
 * parsed and validated by readout train's own command line before anything runs), how many of them to
 * run now ({@code --first}) and whether to start again ({@code --overwrite}).
 *
 * @param limit run the first {@code limit} trials of the plan now
 */
public record SweepConfig(String file, SweepSpec spec, List<Trial> plan, int limit, boolean overwrite) {
    public static final String TRIALS = "trials";

    public SweepConfig {
        plan = List.copyOf(plan);
    }

    /**
     * Parses {@code sweep.json} and plans all its trials.
     *
     * @param limit run only the first {@code limit} trials (null: all)
     */
    public static SweepConfig plan(String file, String json, JobFlags<TrainJob.Request> train, Integer limit,
                                   boolean overwrite) {
        if (limit != null && limit < 1) {
            throw new BadInputException("--first " + limit + " must be at least 1");
        }
        SweepSpec spec = SweepSpec.parse(json, file);
        List<Map<String, FlagValue>> points = spec.points();
        List<Trial> plan = new ArrayList<>(points.size());
        Map<String, Integer> seen = new HashMap<>();
        for (int id = 0; id < points.size(); id++) {
            Trial trial = trial(file, spec, id, points.get(id), train);
            Integer twin = seen.putIfAbsent(SweepSpec.compactJson(withoutOut(trial.config())), id);
            if (twin != null) {
                throw new BadInputException(file + ": trials " + Trial.label(twin) + " (" + plan.get(twin).describe()
                        + ") and " + trial.label() + " (" + trial.describe() + ") give readout train the same config;"
                        + " is every searched flag used by --method " + trial.config().method() + "?");
            }
            plan.add(trial);
        }
        return new SweepConfig(file, spec, plan, limit == null ? plan.size() : limit, overwrite);
    }

    private static Trial trial(String file, SweepSpec spec, int id, Map<String, FlagValue> values,
                               JobFlags<TrainJob.Request> train) {
        Map<String, FlagValue> flags = new LinkedHashMap<>(spec.base());
        flags.putAll(values);
        flags.put("out", new FlagValue(trialDir(spec.out(), id)));
        flags.put("select", new FlagValue(spec.select()));
        String where = file + ": trial " + Trial.label(id) + " (" + Trial.describe(values) + "): ";
        try {
            List<String> args = Trial.arguments(flags, train);
            return new Trial(id, values, args, train.parse(args).config());
        } catch (IllegalArgumentException e) {
            throw new BadInputException(where + e.getMessage(), e);
        } catch (BadInputException e) {
            throw new BadInputException(where + e.getMessage(), e);
        }
    }

    /** {@code OUT/trials/trial=NNNN}. */
    static String trialDir(String out, int id) {
        return new Path(new Path(out, TRIALS), Trial.dirName(id)).toString();
    }

    /** The trials to run now: the first {@code limit}. */
    public List<Trial> trials() {
        return plan.subList(0, Math.min(limit, plan.size()));
    }

    /** What {@code readout sweep --dry-run} prints: the plan, then each trial to run now and its train command. */
    public String listing() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%d trials (%s over %s), select %s%s:%n",
                plan.size(), spec.search(), String.join(", ", spec.space().keySet()),
                spec.select(), trials().size() < plan.size()
                        ? "; the first " + trials().size() + " listed" : ""));
        for (Trial t : trials()) {
            b.append("trial ").append(t.label()).append("  ").append(t.describe()).append('\n');
            b.append("    ").append(t.commandLine()).append('\n');
        }
        return b.toString();
    }

    /** A config as config.json holds it, without the run folder (which two runs never share). */
    static ObjectNode withoutOut(TrainConfig config) {
        ObjectNode m = Json.mapper().valueToTree(config.toJson());
        m.remove("out");
        return m;
    }
}
