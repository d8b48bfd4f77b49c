package io.readout.jobs.flags;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Flags whose name changed, each with the one-line hint that replaces "unknown option": on the command line
 * and in the config files that name flags ({@code pipeline.json}, {@code sweep.json}). The vocabulary they
 * moved to is the README's ("The command line"): {@code --out} for what a command writes, {@code --run} (or the
 * role, {@code --teacher}, {@code --student}) for a run it reads, {@code --source} for a dataset's source folder.
 */
public final class RenamedFlags {
    /** {@code old} became {@code now} in {@code commands}; {@code what} says what the flag names. */
    private record Renamed(Set<String> commands, String old, String now, String what) {
    }

    private static final List<Renamed> RENAMED = List.of(
            new Renamed(Set.of("prepare"), "--root", "--source", "the released dataset folder"),
            new Renamed(Set.of("pipeline", "demo", "retrain"), "--root", "--out", "the pipeline's folder"),
            new Renamed(Set.of("sweep"), "--trials", "--first",
                    "run only the first N trials; \"trials\" in the sweep file counts random draws"));

    /** Commands whose positional ROOT became {@code --run ROOT}. */
    private static final Set<String> ROOT_NOW_RUN = Set.of("report", "aggregate");

    private RenamedFlags() {
    }

    /**
     * The hint for {@code flag} (e.g. {@code --root}, or {@code --root=/data}) of {@code command}, e.g.
     * {@code --root is now --source (the released dataset folder)}; empty when the flag was not renamed. A word
     * that is not a flag, given to a command whose positional ROOT became {@code --run}, gets that hint.
     */
    public static Optional<String> hint(String command, String flag) {
        if (!flag.startsWith("-")) {
            return ROOT_NOW_RUN.contains(command)
                    ? Optional.of("the pipeline root is now --run ROOT (readout " + command + " --run " + flag + ")")
                    : Optional.empty();
        }
        String name = flag.contains("=") ? flag.substring(0, flag.indexOf('=')) : flag;
        return RENAMED.stream()
                .filter(r -> r.commands().contains(command) && r.old().equals(name))
                .findFirst()
                .map(r -> r.old() + " is now " + r.now() + " (" + r.what() + ")");
    }
}
