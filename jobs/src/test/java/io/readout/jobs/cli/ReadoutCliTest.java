package io.readout.jobs.cli;

import io.readout.jobs.CliRun;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadoutCliTest {
    private static ReadoutCli parse(String... args) {
        ReadoutCli cli = new ReadoutCli();
        new CommandLine(cli).parseArgs(args);
        return cli;
    }

    @Test
    void sparkOptionsAreAcceptedBeforeOrAfterTheSubcommand() {
        for (String[] args : new String[][] {
            {"--master", "local[2]", "--conf", "spark.task.cpus=1", "bench", "throughput"},
            {"bench", "throughput", "--master", "local[2]", "--conf", "spark.task.cpus=1"},
            {"train", "--master", "local[2]", "--arch", "student", "--data", "d", "--out", "o", "--conf", "spark.task.cpus=1"},
        }) {
            ReadoutCli cli = parse(args);
            assertEquals("local[2]", cli.master, String.join(" ", args));
            assertEquals(Map.of("spark.task.cpus", "1"), cli.conf, String.join(" ", args));
        }
    }

    @Test
    void renamedFlagsFailWithAHintToTheirNewName() {
        assertHint("readout prepare: --root is now --source (", "prepare", "--dataset", "waterbirds", "--root", "/d",
                "--out", "/o");
        assertHint("readout pipeline: --root is now --out (", "pipeline", "--root=/r", "--dry-run");
        assertHint("readout demo: --root is now --out (", "demo", "--root", "/r");
        assertHint("readout sweep: --trials is now --first (", "sweep", "--config", "s.json", "--trials", "2");
        assertHint("readout evaluate: --model model is now --model final (", "evaluate", "--run", "/r", "--data", "/d", "--split", "val",
                "--model", "model");
        assertHint("readout teacher-probs: --model model is now --model final (", "teacher-probs", "--teacher", "/r",
                "--data", "/d", "--out", "/o", "--model", "model");
        assertHint("readout report: the pipeline root is now --run ROOT (readout report --run /r)", "report", "/r");
        assertHint("readout aggregate: the pipeline root is now --run ROOT (readout aggregate --run /r)", "aggregate",
                "/r", "--seeds", "0,1");
    }

    /**
     * Copy-paste from help works at 80 columns: in every command's examples, a command line is either one
     * line that fits or continues with " \\" onto an indented line; picocli never wraps one mid-command.
     */
    @Test
    void helpExamplesFitEightyColumnsOrContinueWithABackslash() {
        List<String> problems = new ArrayList<>();
        examples(new CommandLine(new ReadoutCli()), problems);
        assertEquals(List.of(), problems);
    }

    private static void examples(CommandLine cmd, List<String> problems) {
        cmd.setUsageHelpAutoWidth(false);
        cmd.setUsageHelpWidth(80);
        String name = cmd.getCommandSpec().qualifiedName();
        List<String> lines = cmd.getUsageMessage(CommandLine.Help.Ansi.OFF).lines().toList();
        boolean continued = false;
        boolean ended = false;
        for (String line : lines) {
            boolean command = line.startsWith("  readout ");
            if (continued && !line.startsWith("      ")) {
                problems.add(name + ": a continuation that is not indented: " + line);
            }
            if (ended && !line.isBlank() && !command) {
                problems.add(name + ": an example wrapped mid-command: " + line);
            }
            if (line.length() > 80) {
                problems.add(name + ": wider than 80 columns: " + line);
            }
            boolean inExample = command || continued;
            continued = inExample && line.endsWith(" \\");
            ended = inExample && !continued;
        }
        cmd.getSubcommands().values().forEach(sub -> examples(sub, problems));
    }

    private static void assertHint(String expected, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(2, run.code(), String.join(" ", args) + ": " + run.err());
        assertEquals(1, run.errLines().length, run.err());
        assertTrue(run.err().startsWith(expected), String.join(" ", args) + ": " + run.err());
    }
}
