package io.readout.jobs.run;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.util.List;

/**
 * A training run's {@code history.json}: the validation figure that picks {@code best.zip}, the epoch it picked
 * and every epoch so far (a checkpoint's {@code history.json} holds the list alone).
 *
 * @param select    {@code --select}: {@value EpochRecord#VAL_ACCURACY}, {@value EpochRecord#VAL_WGA} or
 *                  {@value EpochRecord#VAL_GROUP_MEAN}
 * @param bestEpoch the epoch of {@code best.zip}
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({TrainingHistory.SELECT, TrainingHistory.BEST_EPOCH, TrainingHistory.EPOCHS})
public record TrainingHistory(@JsonProperty(SELECT) String select, @JsonProperty(BEST_EPOCH) int bestEpoch,
                              @JsonProperty(EPOCHS) List<EpochRecord> epochs) {
    public static final String SELECT = "select";
    public static final String BEST_EPOCH = "best_epoch";
    public static final String EPOCHS = "epochs";

    public TrainingHistory {
        epochs = List.copyOf(epochs);
    }
}
