package io.readout.jobs.pipeline;

import io.readout.jobs.run.PipelineRoot;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One stage of a pipeline: a readout command and what the pipeline needs to know about it.
 *
 * @param name     e.g. {@code teacher}, {@code students/dedier}, {@code evaluate/students/dedier}; with a seed
 *                 list {@code seed=S/teacher}, ...
 * @param commands the readout command lines it runs, in order, without the re-run flags ({@code --resume},
 *                 {@code --overwrite})
 * @param output   the folder the stage writes (for an evaluation: the run it evaluates)
 * @param kind     how the stage is completed, resumed and re-run
 * @param upstream the stages whose outputs it reads
 * @param inputs   raw inputs outside the pipeline (files or folders) whose listing is part of its hash
 * @param scope    the folder below the root whose {@code stages/} holds its record: empty for the root,
 *                 {@code seed=S} for a stage of one seed
 */
public record Stage(String name, List<List<String>> commands, String output, Kind kind, List<String> upstream,
                    List<String> inputs, String scope) {
    /** How a stage's completion shows and how it is run again. */
    public enum Kind {
        /** A table written atomically with {@code _SUCCESS} (prepare, teacher-probs): run again with --overwrite. */
        TABLE,
        /** A training run with {@code _SUCCESS} and checkpoints: --resume after a death, --overwrite after a change. */
        RUN,
        /**
         * An evaluation of the final and the validation-selected model: {@code metrics/} and {@code metrics/best/}
         * hold {@code val.json} and {@code test.json}; simply run again.
         */
        EVALUATION,
        /** The report folder with {@code _SUCCESS}, replaced by every run. */
        REPORT,
        /** The seeds' aggregate folder with {@code _SUCCESS}, replaced by every run. */
        AGGREGATE
    }

    public Stage {
        commands = commands.stream().map(List::copyOf).toList();
        upstream = List.copyOf(upstream);
        inputs = List.copyOf(inputs);
        if (!scope.isEmpty() && !name.startsWith(scope + "/")) {
            throw new IllegalArgumentException(name + ": a stage of " + scope + " is named below it");
        }
    }

    /** A stage whose record is under the root's {@code stages/}. */
    public Stage(String name, List<List<String>> commands, String output, Kind kind, List<String> upstream,
                 List<String> inputs) {
        this(name, commands, output, kind, upstream, inputs, "");
    }

    /** The command line for one flags map: {@code --key=value}, or {@code --key} for a switch. */
    static List<String> args(String command, List<String> positional, Map<String, String> flags) {
        List<String> args = new ArrayList<>();
        args.add(command);
        args.addAll(positional);
        flags.forEach((k, v) -> args.add(v.isEmpty() ? "--" + k : "--" + k + "=" + v));
        return args;
    }

    /** The file name of its record under its scope's {@code stages/}. */
    String recordName() {
        return (scope.isEmpty() ? name : name.substring(scope.length() + 1)).replace('/', '-') + ".json";
    }

    /** Its record's path below the root: {@code stages/teacher.json}, {@code seed=1/stages/teacher.json}. */
    String recordPath() {
        return (scope.isEmpty() ? "" : scope + "/") + PipelineRoot.STAGES + "/" + recordName();
    }

    /** A stage of one command. */
    static Stage of(String name, List<String> command, String output, Kind kind, List<String> upstream,
                    List<String> inputs) {
        return new Stage(name, List.of(command), output, kind, upstream, inputs);
    }

    /** A command as a person would type it. */
    static String display(List<String> command) {
        return "readout " + String.join(" ", command);
    }
}
