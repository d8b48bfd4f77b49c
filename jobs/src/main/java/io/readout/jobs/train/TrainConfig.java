package io.readout.jobs.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.util.StdConverter;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NetworkConfig;
import io.readout.jobs.run.EpochRecord;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.readout.jobs.train.JsonNumbers.required;

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
 *
 * <p>config.json is this record as Jackson writes it: snake_case keys in the order below, the method's
 * options and {@code init} left out when null.
 */
@JsonPropertyOrder({"method", "arch", "data", "out", "epochs", "batch", "batch_scope", "updater", "lr", "weight_decay",
        "activation", "workers", "averaging_frequency", "approach", "prefetch", "seed", "select", "eval_batch",
        "distill", "jtt", "sifer", "init"})
@JsonIgnoreProperties(ignoreUnknown = true)
public record TrainConfig(String method, @JsonSerialize(converter = ArchitectureId.class) Architecture arch,
                          String data, String out, int epochs, int batch,
                          String updater, double lr, @JsonProperty("weight_decay") double weightDecay,
                          String activation, int workers,
                          @JsonProperty("averaging_frequency") int averagingFrequency,
                          String approach, int prefetch, long seed, String select,
                          @JsonProperty("eval_batch") int evalBatch,
                          @JsonInclude(JsonInclude.Include.NON_NULL) DistillOptions distill,
                          @JsonInclude(JsonInclude.Include.NON_NULL) JttOptions jtt,
                          @JsonInclude(JsonInclude.Include.NON_NULL) SiferOptions sifer,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String init,
                          @JsonProperty("batch_scope") BatchScope batchScope) {

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
    public static final List<String> SELECT = List.of(EpochRecord.VAL_ACCURACY, EpochRecord.VAL_WGA,
            EpochRecord.VAL_GROUP_MEAN);
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
    @JsonIgnore
    public boolean isDistillation() {
        return KD.equals(method) || DEDIER.equals(method);
    }

    private static void requirePositive(int v, String flag) {
        if (v < 1) {
            throw new BadInputException(flag + " " + v + " must be at least 1");
        }
    }

    /**
     * The config as config.json holds it, as a mutable map (for callers that edit it before writing).
     * {@link #write} writes the file.
     */
    @SuppressWarnings("unchecked")
    public Map<String, Object> toJson() {
        return Json.mapper().convertValue(this, LinkedHashMap.class);
    }

    /** config.json's text. */
    public String write() {
        return Json.write(this);
    }

    /** Reads config.json back; {@code where} names the file in errors. */
    public static TrainConfig fromJson(String json, String where) {
        try {
            return Json.mapper().readValue(json, TrainConfig.class);
        } catch (JsonParseException e) {
            throw new BadInputException(where + ": not valid JSON: " + e.getOriginalMessage());
        } catch (ValueInstantiationException e) {
            if (e.getCause() instanceof BadInputException b) {
                throw new BadInputException(where + ": " + b.getMessage(), b);
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new BadInputException(where + ": not a readout training config (" + cause.getMessage() + ")", e);
        } catch (JsonProcessingException e) {
            throw new BadInputException(where + ": not a readout training config (" + e.getOriginalMessage() + ")", e);
        }
    }

    /**
     * config.json read back: numbers are required; {@code activation} defaults to ReLU and {@code batch_scope}
     * to {@link BatchScope#WORKER} (runs from before the option fitted the whole batch on each worker).
     */
    @JsonCreator
    static TrainConfig read(@JsonProperty("method") String method, @JsonProperty("arch") String arch,
                            @JsonProperty("data") String data, @JsonProperty("out") String out,
                            @JsonProperty("epochs") Integer epochs, @JsonProperty("batch") Integer batch,
                            @JsonProperty("batch_scope") String batchScope, @JsonProperty("updater") String updater,
                            @JsonProperty("lr") Double lr, @JsonProperty("weight_decay") Double weightDecay,
                            @JsonProperty("activation") String activation, @JsonProperty("workers") Integer workers,
                            @JsonProperty("averaging_frequency") Integer averagingFrequency,
                            @JsonProperty("approach") String approach, @JsonProperty("prefetch") Integer prefetch,
                            @JsonProperty("seed") Long seed, @JsonProperty("select") String select,
                            @JsonProperty("eval_batch") Integer evalBatch,
                            @JsonProperty("distill") DistillOptions distill, @JsonProperty("jtt") JttOptions jtt,
                            @JsonProperty("sifer") SiferOptions sifer, @JsonProperty("init") String init) {
        return new TrainConfig(method, Architecture.parse(arch), data, out, required(epochs, "epochs"),
                required(batch, "batch"), updater, required(lr, "lr"), required(weightDecay, "weight_decay"),
                activation != null ? activation : NetworkConfig.DEFAULT_ACTIVATION, required(workers, "workers"),
                required(averagingFrequency, "averaging_frequency"), approach, required(prefetch, "prefetch"),
                required(seed, "seed"), select, required(evalBatch, "eval_batch"), distill, jtt, sifer, init,
                batchScope != null ? BatchScope.of(batchScope, "batch_scope") : BatchScope.WORKER);
    }

    /** config.json names an architecture by its id. */
    static final class ArchitectureId extends StdConverter<Architecture, String> {
        @Override
        public String convert(Architecture a) {
            return a.id();
        }
    }
}
