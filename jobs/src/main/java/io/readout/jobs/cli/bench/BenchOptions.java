package io.readout.jobs.cli.bench;

import picocli.CommandLine.Option;

import java.io.PrintStream;

/**
 * What every training benchmark runs on: the flags {@code bench training}, {@code bench throughput} and
 * {@code bench compare} share (each has its own {@code --repeats}, whose default differs).
 */
final class BenchOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = "A prepared dataset (default: a generated synthetic one in a temp folder).")
    String data;

    @Option(names = "--max-examples", paramLabel = "N", defaultValue = "0",
            description = "Use at most N training examples, 0 for all (default: ${DEFAULT-VALUE}).")
    int maxExamples;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "1",
            description = "Epochs per timed training run (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch", paramLabel = "N", defaultValue = "64",
            description = "Training minibatch of the single process; Spark's workers fit it each in bench training,"
                    + " and share it (B / W each, as readout train does) in bench throughput and compare"
                    + " (default: ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "0",
            description = "Seed of networks, data and shuffles (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the figures as JSON to this local file.")
    String out;

    /** Prints a benchmark's table, then where its JSON went. */
    void print(PrintStream stdout, String table) {
        stdout.print(table);
        if (out != null) {
            stdout.println("wrote " + out);
        }
    }
}
