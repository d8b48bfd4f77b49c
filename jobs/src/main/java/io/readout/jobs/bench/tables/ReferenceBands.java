package io.readout.jobs.bench.tables;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fidelity bands a table compares its means with, from a small committed file:
 *
 * <pre>{@code
 * {"source": "../shared/BENCHMARKS.md, Fidelity bands ...", "dataset": "dominoes", "split": "test",
 *  "model": "final",
 *  "bands": [ {"run": "teacher erm", "rho": 0.95, "accuracy": {"reference": 0.905, "band": 0.03},
 *              "wga": {"reference": 0.749, "band": 0.07}},
 *             {"run": "teacher erm", "rho": 0.5, "accuracy": {"at_least": 0.94}, "wga": {"at_least": 0.92}} ]}
 * }</pre>
 *
 * A band is {@code reference ± band} or a lower bound {@code at_least}; a run, rho and metric have at
 * most one.
 */
record ReferenceBands(ResultsFile file, String source, String dataset, String split, String model, List<Band> bands) {
    /** One metric's band for one run at one rho: {@code reference ± halfWidth}, or at least {@code atLeast}. */
    record Band(String run, double rho, String metric, Double reference, Double halfWidth, Double atLeast) {
        /** The cell: {@code 0.905 ± 0.03 ✓}, {@code 0.905 ± 0.03 ✗ above}, {@code ≥ 0.94 ✓}. */
        String judge(double mean) {
            if (atLeast != null) {
                return "≥ " + plain(atLeast) + (mean >= atLeast ? " ✓" : " ✗");
            }
            String band = plain(reference) + " ± " + plain(halfWidth);
            if (mean > reference + halfWidth + 1e-12) {
                return band + " ✗ above";
            }
            if (mean < reference - halfWidth - 1e-12) {
                return band + " ✗ below";
            }
            return band + " ✓";
        }
    }

    static ReferenceBands read(ResultsFile f) {
        JsonNode json = f.json();
        List<Band> bands = new ArrayList<>();
        List<JsonNode> list = f.list(json, "", "bands");
        for (int i = 0; i < list.size(); i++) {
            JsonNode b = list.get(i);
            String at = "bands[" + i + "]";
            String run = f.text(b, at, "run");
            double rho = f.number(b, at, "rho");
            for (String metric : AccuracyResults.METRICS) {
                if (!b.has(metric)) {
                    continue;
                }
                String mAt = at + "." + metric;
                JsonNode m = b.get(metric);
                Double atLeast = f.numberOrNull(m, mAt, "at_least");
                Double reference = f.numberOrNull(m, mAt, "reference");
                Double halfWidth = f.numberOrNull(m, mAt, "band");
                if ((atLeast == null) == (reference == null) || (reference == null) != (halfWidth == null)) {
                    throw f.bad(mAt, "must be {\"reference\": R, \"band\": B} or {\"at_least\": L}");
                }
                Band band = new Band(run, rho, metric, reference, halfWidth, atLeast);
                if (bands.stream().anyMatch(o -> o.run().equals(run) && o.rho() == rho && o.metric().equals(metric))) {
                    throw f.bad(at, "repeats the band of run '" + run + "', rho " + rho + ", " + metric);
                }
                bands.add(band);
            }
        }
        return new ReferenceBands(f, f.text(json, "", "source"), f.text(json, "", "dataset"), f.text(json, "", "split"),
                f.text(json, "", "model"), List.copyOf(bands));
    }

    /** The band of a run's metric, when this file has one for the results' dataset, split and model. */
    Optional<Band> band(String dataset, Double rho, String run, String split, String model, String metric) {
        if (rho == null || !this.dataset.equals(dataset) || !this.split.equals(split) || !this.model.equals(model)) {
            return Optional.empty();
        }
        return bands.stream().filter(b -> b.run().equals(run) && b.rho() == rho && b.metric().equals(metric))
                .findFirst();
    }

    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }
}
