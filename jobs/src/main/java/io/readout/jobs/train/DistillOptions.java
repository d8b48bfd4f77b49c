package io.readout.jobs.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import io.readout.common.BadInputException;
import io.readout.common.distill.DistillationLoss;
import io.readout.common.distill.ReadoutWeights;
import io.readout.common.nets.ReadoutHead;
import io.readout.jobs.passes.WeightsConfig;

import java.util.List;

import static io.readout.jobs.train.JsonNumbers.required;

/**
 * The options of the distillation methods, {@code kd} and {@code dedier} (config.json's
 * {@code "distill"} object, snake_case in the order below).
 *
 * @param teacher       the teacher's run directory (its {@code model.zip})
 * @param teacherProbs  a table written by {@code readout teacher-probs}; null: the job writes one under the
 *                      run directory from {@code teacher}
 * @param lambda        weight of the teacher term, λ: {@code (1-λ)·CE + λ·w·T²·KL}
 * @param temperature   T, of the teacher probabilities and of the student's softened softmax
 * @param alpha         α of the early-readout weight {@code exp(β·margin^α)} (dedier)
 * @param beta          β of it (dedier; 0 gives KD)
 * @param normalise     {@code mean} (weights over the training split averaged to 1) or {@code none} (dedier)
 * @param refresh       epochs between two weights passes (dedier; 1: before every epoch)
 * @param weightTarget  {@code kd}: the weight scales the teacher term only; {@code both}: the whole loss
 * @param auxAt         the block the early readout reads (dedier): {@code block1} or {@code block2}
 * @param auxLr         the early readout's Adam learning rate (dedier)
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DistillOptions(String teacher, String teacherProbs, double lambda, double temperature, double alpha,
                             double beta, String normalise, int refresh, String weightTarget, String auxAt,
                             double auxLr) {
    public static final double DEFAULT_LAMBDA = 0.7;
    public static final double DEFAULT_TEMPERATURE = 2;
    public static final int DEFAULT_REFRESH = 1;
    /** DEDIER's early readout learns with Adam at this rate. */
    public static final double DEFAULT_AUX_LR = 1e-3;
    public static final List<String> WEIGHT_TARGETS = List.of("kd", "both");

    /** Cross-field rules; throws {@link BadInputException} naming the flag. */
    public DistillOptions validate() {
        if ((teacher == null || teacher.isBlank()) && (teacherProbs == null || teacherProbs.isBlank())) {
            throw new BadInputException("--teacher (a teacher run) or --teacher-probs (a teacher-probs table) is required");
        }
        if (!(lambda >= 0 && lambda <= 1)) {
            throw new BadInputException("--lambda " + lambda + " must be between 0 and 1");
        }
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new BadInputException("--temperature " + temperature + " must be a positive number");
        }
        WeightsConfig.readoutWeights(alpha, beta, normalise);
        if (refresh < 1) {
            throw new BadInputException("--refresh " + refresh + " must be at least 1");
        }
        if (!WEIGHT_TARGETS.contains(weightTarget)) {
            throw new BadInputException("--weight-target '" + weightTarget + "' is not one of "
                    + String.join(", ", WEIGHT_TARGETS));
        }
        readoutHead();
        return this;
    }

    /** The loss of the student's output layer. */
    public DistillationLoss loss() {
        return new DistillationLoss(lambda, temperature, DistillationLoss.WeightTarget.parse(weightTarget));
    }

    /** How the weights pass turns the early readout's probabilities into weights. */
    public ReadoutWeights weights() {
        return WeightsConfig.readoutWeights(alpha, beta, normalise);
    }

    /** DEDIER's early readout: a linear softmax head on {@code auxAt}, Adam at {@code auxLr}. */
    public ReadoutHead readoutHead() {
        return ReadoutHead.linear(auxAt, "adam", auxLr);
    }

    /** config.json's {@code "distill"} read back: every number is required. */
    @JsonCreator
    static DistillOptions read(@JsonProperty("teacher") String teacher, @JsonProperty("teacher_probs") String teacherProbs,
                               @JsonProperty("lambda") Double lambda, @JsonProperty("temperature") Double temperature,
                               @JsonProperty("alpha") Double alpha, @JsonProperty("beta") Double beta,
                               @JsonProperty("normalise") String normalise, @JsonProperty("refresh") Integer refresh,
                               @JsonProperty("weight_target") String weightTarget, @JsonProperty("aux_at") String auxAt,
                               @JsonProperty("aux_lr") Double auxLr) {
        return new DistillOptions(teacher, teacherProbs, required(lambda, "lambda"),
                required(temperature, "temperature"), required(alpha, "alpha"), required(beta, "beta"), normalise,
                required(refresh, "refresh"), weightTarget, auxAt, required(auxLr, "aux_lr"));
    }
}
