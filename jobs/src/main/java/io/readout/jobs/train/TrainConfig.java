package io.readout.jobs.train;

import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NetworkConfig;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Configuration of {@link TrainJob}. Saved as the run's {@code config.json}; {@code --resume} reads
 * it back, so a resumed run trains exactly as the first one did.
 *
 * @param workers            parameter-averaging workers (0: Spark's default parallelism)
 * @param averagingFrequency minibatches each worker fits between two averaging rounds
 * @param approach           how dl4j-spark hands data to workers: {@code export} or {@code direct}
 * @param select             the validation value that picks {@code best.zip}
 * @param distill            the options of {@code kd} and {@code dedier}; null for other methods
 * @param jtt                the options of {@code jtt}; null for other methods
 * @param sifer              the options of {@code sifer}; null for other methods
 * @param init               a model to start from (a warm start); null for random weights from the seed
 * @param batchScope         what {@code batch} counts: the examples of one optimizer step across the workers
 *                           ({@link BatchScope#GLOBAL}, each worker fitting batch / workers) or each worker's
 */
public record TrainConfig(String method, Architecture arch, String data, String out, int epochs, int batch,
                          String updater, double lr, double weightDecay, String activation, int workers,
                          int averagingFrequency,
                          String approach, int prefetch, long seed, String select, int evalBatch,
                          DistillOptions distill, JttOptions jtt, SiferOptions sifer, String init,
                          BatchScope batchScope) {

    /** A config that starts from random weights. */
    public TrainConfig(String method, Architecture arch, String data, String out, int epochs, int batch,
                       String updater, double lr, double weightDecay, String activation, int workers,
                       int averagingFrequency, String approach, int prefetch, long seed, String select, int evalBatch,
                       DistillOptions distill, JttOptions jtt, SiferOptions sifer) {
        this(method, arch, data, out, epochs, batch, updater, lr, weightDecay, activation, workers, averagingFrequency,
                approach, prefetch, seed, select, evalBatch, distill, jtt, sifer, null, BatchScope.GLOBAL);
    }

    public static final String ERM = "erm";
    public static final String KD = "kd";
    public static final String DEDIER = "dedier";
    public static final String JTT = "jtt";
    public static final String SIFER = "sifer";
    public static final List<String> METHODS = List.of(ERM, KD, DEDIER, JTT, SIFER);
    public static final List<String> SELECT = List.of("val_accuracy", "val_wga", "val_group_mean");
    public static final List<String> APPROACHES = List.of("export", "direct");

    /** Cross-field rules in one place; throws {@link BadInputException} naming the flag. */
    public TrainConfig validate() {
        if (!METHODS.contains(method)) {
            throw new BadInputException("--method '" + method + "' is not one of " + String.join(", ", METHODS));
        }
        if (data == null || data.isBlank()) {
            throw new BadInputException("--data is required");
        }
        if (out == null || out.isBlank()) {
            throw new BadInputException("--out is required");
        }
        requirePositive(epochs, "--epochs");
        requirePositive(batch, "--batch");
        requirePositive(averagingFrequency, "--averaging-frequency");
        requirePositive(evalBatch, "--eval-batch");
        if (workers < 0) {
            throw new BadInputException("--workers " + workers + " must be 0 (Spark's parallelism) or more");
        }
        if (prefetch < 0) {
            throw new BadInputException("--prefetch " + prefetch + " must be 0 or more");
        }
        if (!NetworkConfig.ACTIVATIONS.contains(activation)) {
            throw new BadInputException("--activation '" + activation + "' is not one of "
                    + String.join(", ", NetworkConfig.ACTIVATIONS));
        }
        if (!SELECT.contains(select)) {
            throw new BadInputException("--select '" + select + "' is not one of " + String.join(", ", SELECT));
        }
        if (!APPROACHES.contains(approach)) {
            throw new BadInputException("--approach '" + approach + "' is not one of " + String.join(", ", APPROACHES));
        }
        if (batchScope == null) {
            throw new IllegalStateException("no batch scope");
        }
        if (isDistillation() != (distill != null)) {
            throw new IllegalStateException("distillation options are given exactly for kd and dedier");
        }
        if (JTT.equals(method) != (jtt != null)) {
            throw new IllegalStateException("jtt options are given exactly for jtt");
        }
        if (SIFER.equals(method) != (sifer != null)) {
            throw new IllegalStateException("sifer options are given exactly for sifer");
        }
        if (distill != null) {
            distill.validate();
        }
        if (sifer != null) {
            sifer.validate();
        }
        if (jtt != null) {
            jtt.validate();
        }
        return this;
    }

    /** The minibatch each of {@code workers} averaging workers fits ({@link BatchScope}). */
    public int workerBatch(int workers) {
        return batchScope.workerBatch(batch, workers);
    }

    /** kd or dedier: a student trained on a teacher's probabilities. */
    public boolean isDistillation() {
        return KD.equals(method) || DEDIER.equals(method);
    }

    private static void requirePositive(int v, String flag) {
        if (v < 1) {
            throw new BadInputException(flag + " " + v + " must be at least 1");
        }
    }

    /** The config as config.json holds it. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("arch", arch.id());
        m.put("data", data);
        m.put("out", out);
        m.put("epochs", epochs);
        m.put("batch", batch);
        m.put("batch_scope", batchScope.flag());
        m.put("updater", updater);
        m.put("lr", lr);
        m.put("weight_decay", weightDecay);
        m.put("activation", activation);
        m.put("workers", workers);
        m.put("averaging_frequency", averagingFrequency);
        m.put("approach", approach);
        m.put("prefetch", prefetch);
        m.put("seed", seed);
        m.put("select", select);
        m.put("eval_batch", evalBatch);
        if (distill != null) {
            m.put("distill", distill.toJson());
        }
        if (jtt != null) {
            m.put("jtt", jtt.toJson());
        }
        if (sifer != null) {
            m.put("sifer", sifer.toJson());
        }
        if (init != null) {
            m.put("init", init);
        }
        return m;
    }

    /** Reads config.json back; {@code where} names the file in errors. */
    public static TrainConfig fromJson(String json, String where) {
        Map<String, Object> m = Json.readObject(json, where);
        try {
            return new TrainConfig((String) m.get("method"), Architecture.parse((String) m.get("arch")),
                    (String) m.get("data"), (String) m.get("out"), JsonNumbers.get(m, "epochs").intValue(),
                    JsonNumbers.get(m, "batch").intValue(), (String) m.get("updater"), JsonNumbers.get(m, "lr").doubleValue(),
                    JsonNumbers.get(m, "weight_decay").doubleValue(),
                    m.get("activation") instanceof String a ? a : NetworkConfig.DEFAULT_ACTIVATION,
                    JsonNumbers.get(m, "workers").intValue(),
                    JsonNumbers.get(m, "averaging_frequency").intValue(), (String) m.get("approach"),
                    JsonNumbers.get(m, "prefetch").intValue(), JsonNumbers.get(m, "seed").longValue(), (String) m.get("select"),
                    JsonNumbers.get(m, "eval_batch").intValue(),
                    m.get("distill") instanceof Map<?, ?> d ? DistillOptions.fromJson(d) : null,
                    m.get("jtt") instanceof Map<?, ?> j ? JttOptions.fromJson(j) : null,
                    m.get("sifer") instanceof Map<?, ?> s ? SiferOptions.fromJson(s) : null,
                    m.get("init") instanceof String i ? i : null,
                    // Runs from before the option fitted the whole batch on each worker.
                    m.get("batch_scope") instanceof String b ? BatchScope.of(b, where + ": batch_scope")
                            : BatchScope.WORKER);
        } catch (RuntimeException e) {
            if (e instanceof BadInputException b) {
                throw b;
            }
            throw new BadInputException(where + ": not a readout training config (" + e.getMessage() + ")", e);
        }
    }
}
