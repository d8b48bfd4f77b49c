package io.readout.jobs.cli;

import io.readout.datasets.fetch.FetchConfig;
import io.readout.datasets.fetch.FetchFailedException;
import io.readout.datasets.fetch.FetchJob;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code readout fetch}: parses and validates, then runs {@link FetchJob}; no Spark. A bad flag, an unknown
 * dataset, mirrors that cannot be reached or do not serve a file, a file with the wrong hash, or an output path
 * that is a file or a folder holding something else is one line and exit code 2. A transfer cut short is one line
 * and exit code 1 (what came stays for the next run to resume).
 */
@Command(name = "fetch", mixinStandardHelpOptions = true, sortOptions = false, usageHelpAutoWidth = true,
        description = {"Download MNIST or Fashion-MNIST, SHA-256 checked.",
            "Downloads the four IDX files (train-*, t10k-*, gzipped as published) into",
            "DIR, checks each one's size and SHA-256, resumes a partial download with an",
            "HTTP Range request, and writes DIR/fetch.json and DIR/_SUCCESS. Files already",
            "there with the right hash are not downloaded again. 'readout prepare' reads",
            "the folder (--mnist, --fashion, --images)."},
        footer = {"", "Mirrors, tried in order (--mirror replaces them):",
            "  mnist          https://ossci-datasets.s3.amazonaws.com/mnist/,",
            "                 https://storage.googleapis.com/cvdf-datasets/mnist/",
            "  fashion-mnist  http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/,",
            "                 then data/fashion/ of Zalando's GitHub repository",
            "", "Exit codes: 0 complete; 2 bad flags, an unknown dataset, no mirror reachable",
            "or serving the file, a file whose hash is wrong (deleted), --out a file or a",
            "folder holding other things; 1 a download cut short (what came is kept in",
            "DIR/.partial/ and the next run resumes it).",
            "", "Example:",
            "  readout fetch --dataset mnist --out data/mnist",
            "  readout fetch --dataset fashion-mnist --out data/fashion-mnist",
            "  readout prepare --dataset dominoes --mnist data/mnist \\",
            "      --fashion data/fashion-mnist --out /tmp/dom"})
public final class FetchCommand implements Callable<Integer> {
    @ParentCommand
    private ReadoutCli parent;

    @Option(names = "--dataset", required = true, paramLabel = "NAME", description = "mnist or fashion-mnist.")
    String dataset;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Local folder to download into: new, empty, or one fetch wrote (completed or resumed).")
    String out;

    @Option(names = "--mirror", paramLabel = "URL",
            description = "A folder URL serving the four files by name, used instead of the dataset's mirrors;"
                    + " repeatable, tried in order (default: the dataset's own).")
    List<String> mirrors = new ArrayList<>();

    @Override
    public Integer call() {
        FetchConfig config = new FetchConfig(dataset, out, mirrors).validate();
        try {
            FetchJob.run(config, parent.out());
            return ExitCodes.OK;
        } catch (FetchFailedException e) {
            parent.err().println("readout fetch: " + e.getMessage());
            return ExitCodes.FAILURE;
        }
    }
}
