package io.readout.jobs.bench.tables;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * DL4J against PyTorch from a kernel-probe log (docs/bench/results/kernel-probes.txt): sections opened
 * by {@code == HH:MM:SS load L1 L5 L15 LABEL}, holding the kernel probe's
 * {@code PROBE NET threads=T median=N ex/s} lines and pytorch_baseline.py's {@code PYTORCH ...} lines.
 * Three groups of sections, chosen by label prefix (options {@code pytorch}, {@code before},
 * {@code now}): PyTorch, DL4J before and DL4J now. Per net and thread count, each group's medians in
 * section order ({@code a / b} for two runs) and DL4J now over PyTorch run by run.
 */
final class KernelProbesTable implements TableRenderer {
    static final String KIND = "pytorch-vs-dl4j";
    private static final Pattern SECTION = Pattern.compile("^== \\S+ load \\S+ \\S+ \\S+ (.+)$");
    private static final Pattern FIGURE = Pattern.compile("^(PYTORCH|PROBE) (\\w+) threads=(\\d+) median=(\\d+) ex/s.*$");

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Set<String> options() {
        return Set.of("pytorch", "before", "now");
    }

    @Override
    public Rendered render(TableMarker marker, Path results) {
        if (marker.files().size() != 1) {
            throw marker.bad("takes one kernel-probe log, got " + marker.files());
        }
        ResultsFile f = ResultsFile.read(results, marker.files().get(0), true);
        String pytorch = marker.option("pytorch", "pytorch");
        String before = marker.option("before", "plain build");
        String now = marker.option("now", "default onednn+helpers");
        // group -> net -> threads -> medians in section order
        Map<String, Map<String, Map<Integer, List<Integer>>>> figures = new LinkedHashMap<>();
        List.of(pytorch, before, now).forEach(g -> figures.put(g, new LinkedHashMap<>()));
        Set<Integer> threads = new TreeSet<>();
        String group = null;
        for (String line : f.lines()) {
            Matcher s = SECTION.matcher(line);
            if (s.matches()) {
                String label = s.group(1).strip();
                group = label.startsWith(pytorch) ? pytorch : label.startsWith(before) ? before
                        : label.startsWith(now) ? now : null;
                continue;
            }
            Matcher m = FIGURE.matcher(line);
            if (group == null || !m.matches()) {
                continue;
            }
            if (group.equals(pytorch) != m.group(1).equals("PYTORCH")) {
                throw f.bad("has a " + m.group(1) + " line in section group '" + group + "': " + line);
            }
            int t = Integer.parseInt(m.group(3));
            threads.add(t);
            figures.get(group).computeIfAbsent(m.group(2), n -> new LinkedHashMap<>())
                    .computeIfAbsent(t, x -> new ArrayList<>()).add(Integer.parseInt(m.group(4)));
        }
        for (Map.Entry<String, Map<String, Map<Integer, List<Integer>>>> g : figures.entrySet()) {
            if (g.getValue().isEmpty()) {
                throw f.bad("has no figures in sections labelled '" + g.getKey() + "...'");
            }
        }
        List<String> header = new ArrayList<>(List.of("net"));
        for (int t : threads) {
            String ts = t + (t == 1 ? " thread" : " threads");
            header.addAll(List.of("PyTorch, " + ts, "DL4J before (" + before + "), " + ts,
                    "DL4J now (" + now + "), " + ts, "now / PyTorch, " + ts));
        }
        MarkdownTable table = new MarkdownTable(header);
        for (String net : figures.get(now).keySet()) {
            List<String> cells = new ArrayList<>(List.of(net));
            for (int t : threads) {
                List<Integer> p = figures.get(pytorch).getOrDefault(net, Map.of()).getOrDefault(t, List.of());
                List<Integer> b = figures.get(before).getOrDefault(net, Map.of()).getOrDefault(t, List.of());
                List<Integer> n = figures.get(now).get(net).getOrDefault(t, List.of());
                cells.add(join(p.stream().map(MarkdownTable::count).toList()));
                cells.add(join(b.stream().map(MarkdownTable::count).toList()));
                cells.add(join(n.stream().map(MarkdownTable::count).toList()));
                if (p.size() != n.size()) {
                    throw f.bad("has " + n.size() + " '" + now + "' runs of " + net + " at " + t + " thread(s) but "
                            + p.size() + " PyTorch runs: the ratio pairs them run by run");
                }
                List<String> ratios = new ArrayList<>();
                for (int i = 0; i < p.size(); i++) {
                    ratios.add(MarkdownTable.fixed((double) n.get(i) / p.get(i), 2));
                }
                cells.add(join(ratios));
            }
            table.row(cells);
        }
        return new Rendered(table.render(), List.of(f));
    }

    private static String join(List<String> values) {
        return String.join(" / ", values);
    }
}
