package io.readout.jobs.bench.tables;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * DL4J against PyTorch and both against the core's peak, from {@code readout bench compare} files: a row per
 * file, network and pair of modes on the same cores (DL4J single process on 1 thread against PyTorch on 1;
 * Spark against PyTorch on as many threads as Spark's cores), with the medians and their runs, DL4J / PyTorch
 * (✗ below the file's target), the network's training FLOPs per example, and each side's GFLOP/s and fraction
 * of the peak of the cores it used. A file without a PyTorch side gives a row per DL4J mode with the PyTorch
 * cells empty. Under the table, a line per file: the peak and its basis, the ISA oneDNN dispatched to, what
 * runs PyTorch's kernels and what was trained.
 */
final class CompareTable implements TableRenderer {
    static final String KIND = "compare";

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Rendered render(TableMarker marker, Path results) {
        List<ResultsFile> files = new ArrayList<>();
        for (String name : marker.files()) {
            files.add(ResultsFile.read(results, name, true));
        }
        boolean fileColumn = files.size() > 1;
        List<String> header = new ArrayList<>();
        if (fileColumn) {
            header.add("file");
        }
        header.addAll(List.of("net", "cores", "DL4J", "DL4J ex/s (runs)", "PyTorch ex/s (runs)", "DL4J / PyTorch",
                "training MFLOP / example", "GFLOP/s, DL4J / PyTorch", "of peak, DL4J / PyTorch"));
        MarkdownTable table = new MarkdownTable(header);
        List<String> facts = new ArrayList<>();
        for (ResultsFile f : files) {
            JsonNode json = f.json();
            double target = f.number(json, "", "target_ratio");
            for (Map.Entry<String, JsonNode> net : f.entries(json, "", "nets")) {
                String at = "nets." + net.getKey();
                JsonNode n = net.getValue();
                String mflops = MarkdownTable.fixed(f.number(f.field(n, at, "flops"), at + ".flops",
                        "training_per_example") / 1e6, 2);
                JsonNode modes = f.field(n, at, "modes");
                List<JsonNode> ratios = f.list(n, at, "ratios");
                List<Pair> pairs = new ArrayList<>();
                for (int i = 0; i < ratios.size(); i++) {
                    String rAt = at + ".ratios[" + i + "]";
                    pairs.add(new Pair(f.text(ratios.get(i), rAt, "dl4j"), f.text(ratios.get(i), rAt, "pytorch"),
                            f.number(ratios.get(i), rAt, "ratio")));
                }
                if (pairs.isEmpty()) { // no PyTorch side: the DL4J modes alone
                    f.entries(n, at, "modes").forEach(m -> pairs.add(new Pair(m.getKey(), null, null)));
                }
                for (Pair p : pairs) {
                    Mode dl4j = mode(f, modes, at + ".modes", p.dl4j());
                    Mode torch = p.pytorch() == null ? null : mode(f, modes, at + ".modes", p.pytorch());
                    List<String> cells = new ArrayList<>();
                    if (fileColumn) {
                        cells.add(MarkdownTable.code(f.name()));
                    }
                    cells.addAll(List.of(net.getKey(), String.valueOf(dl4j.cores()), dl4j.mode(), dl4j.rate(),
                            torch == null ? "" : torch.rate(),
                            torch == null ? "" : MarkdownTable.fixed(p.ratio(), 2) + (p.ratio() >= target ? "" : " ✗"),
                            mflops, torch == null ? dl4j.gflops() : dl4j.gflops() + " / " + torch.gflops(),
                            torch == null ? dl4j.ofPeak() : dl4j.ofPeak() + " / " + torch.ofPeak()));
                    table.row(cells);
                }
            }
            facts.add(facts(f, json));
        }
        return new Rendered(table.render() + "\n" + String.join("\n\n", facts) + "\n", files);
    }

    /** A DL4J mode and the PyTorch mode it is set against (null: none), with DL4J / PyTorch. */
    private record Pair(String dl4j, String pytorch, Double ratio) {
    }

    /** One mode's cells. */
    private record Mode(String mode, int cores, String rate, String gflops, String ofPeak) {
    }

    private static Mode mode(ResultsFile f, JsonNode modes, String at, String id) {
        JsonNode m = f.field(modes, at, id);
        String mAt = at + "." + id;
        List<String> runs = f.list(m, mAt, "examples_per_second").stream().map(v -> MarkdownTable.count(v.asDouble()))
                .toList();
        Double fraction = f.numberOrNull(m, mAt, "fraction_of_peak");
        return new Mode(f.text(m, mAt, "mode"), f.integer(m, mAt, "cores"),
                MarkdownTable.count(f.number(m, mAt, "examples_per_second_median")) + " (" + String.join(", ", runs) + ")",
                MarkdownTable.fixed(f.number(m, mAt, "gflops"), 2),
                fraction == null ? "?" : String.format(Locale.ROOT, "%.1f %%", 100 * fraction));
    }

    /** The line under the table about one file: the peak, oneDNN, PyTorch and what was trained. */
    private static String facts(ResultsFile f, JsonNode json) {
        JsonNode peak = f.field(json, "", "peak");
        Double perCore = f.numberOrNull(peak, "peak", "gflops_per_core");
        Double clock = f.numberOrNull(peak, "peak", "clock_mhz");
        String peakText = (perCore == null ? "not known" : MarkdownTable.fixed(perCore, 1) + " GFLOP/s per core = "
                + f.integer(peak, "peak", "flop_per_cycle") + " FLOP/cycle × " + MarkdownTable.count(clock) + " MHz")
                + " (" + f.text(peak, "peak", "flop_basis") + "; clock: " + f.text(peak, "peak", "clock_source") + ")";
        JsonNode onednn = f.field(json, "", "onednn");
        String onednnText = f.text(onednn, "onednn", "isa") + " (" + f.text(onednn, "onednn", "source") + ")";
        JsonNode torch = json.get("pytorch");
        String torchText;
        if (torch == null || torch.isNull()) {
            torchText = "not measured: " + f.text(json, "", "pytorch_absent");
        } else {
            List<String> blas = f.list(torch, "pytorch", "blas_loaded").stream().map(JsonNode::asText).toList();
            torchText = f.text(torch, "pytorch", "torch") + ", CPU capability " + f.text(torch, "pytorch",
                    "cpu_capability") + ", BLAS " + (blas.isEmpty() ? "not seen loaded" : String.join(" ", blas))
                    + ", oneDNN " + (torch.hasNonNull("mkldnn") ? f.text(torch, "pytorch", "mkldnn") : "not available");
        }
        List<JsonNode> input = f.list(json, "", "input");
        JsonNode config = f.field(json, "", "config");
        return MarkdownTable.code(f.name()) + ": peak " + peakText + "; oneDNN dispatched " + onednnText
                + "; PyTorch " + torchText + "; " + f.text(json, "", "dataset") + ", "
                + MarkdownTable.count(f.number(json, "", "examples")) + " examples of " + input.get(0).asInt() + "×"
                + input.get(1).asInt() + "×" + input.get(2).asInt() + ", batch " + f.integer(config, "config", "batch")
                + ", " + f.integer(config, "config", "epochs") + " epoch(s) a run, medians of "
                + f.integer(config, "config", "repeats") + " rounds" + warmUp(json) + nativeMemory(json) + ".";
    }

    /**
     * JavaCPP's resident-size check, where the file records it ({@code native_memory}, since issue 17's ninth
     * session): on, every native allocation reads {@code /proc/self/statm}, a few per cent of a small net's step.
     */
    private static String nativeMemory(JsonNode json) {
        JsonNode memory = json.get("native_memory");
        if (memory == null || memory.isNull()) {
            return "";
        }
        long physical = memory.path("max_physical_bytes").asLong();
        return physical > 0
                ? "; JavaCPP's resident-size check per allocation on (maxphysicalbytes " + physical + ")"
                : "; JavaCPP's resident-size check per allocation off (maxphysicalbytes 0)";
    }

    /**
     * The untimed rounds per net, where the file records them ({@code nets.<arch>.warm_up}; files before it had
     * one).
     */
    private static String warmUp(JsonNode json) {
        List<String> nets = new ArrayList<>();
        json.path("nets").fields().forEachRemaining(n -> {
            JsonNode rounds = n.getValue().get("warm_up");
            if (rounds != null && rounds.isArray() && !rounds.isEmpty()) {
                JsonNode last = rounds.get(rounds.size() - 1);
                double wall = last.path("wall_ms").asDouble();
                nets.add(n.getKey() + " " + rounds.size() + " (JIT " + String.format(Locale.ROOT, "%.1f %%",
                        wall > 0 ? 100 * last.path("jit_ms").asDouble() / wall : 0) + " of the last)");
            }
        });
        return nets.isEmpty() ? "" : " after untimed rounds until the JIT was quiet: " + String.join(", ", nets);
    }
}
