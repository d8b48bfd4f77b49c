package io.readout.jobs;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
