package io.readout.jobs.train;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.readout.common.BadInputException;

import static io.readout.jobs.train.JsonNumbers.required;

/**
 * The options of Just Train Twice (Liu et al. 2021; config.json's {@code "jtt"} object): stage one
 * trains ERM for {@code epochs} epochs; the training examples it gets wrong are then up-weighted by
 * {@code upweight} (λ_up) in stage two, which trains a fresh network for the run's {@code --epochs}.
 *
 * @param epochs   stage one's epochs ({@code --jtt-epochs})
 * @param upweight λ_up ({@code --upweight}): how many times an error-set example counts in stage two
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record JttOptions(int epochs, double upweight) {
    public static final int DEFAULT_EPOCHS = 2;
    public static final double DEFAULT_UPWEIGHT = 6;
    /** Each error example appears about λ_up times per stage-two epoch: beyond this an epoch is nearly all copies. */
    public static final double MAX_UPWEIGHT = 1000;

    public JttOptions validate() {
        if (epochs < 1) {
            throw new BadInputException("--jtt-epochs " + epochs + " must be at least 1");
        }
        if (!(upweight >= 1 && upweight <= MAX_UPWEIGHT)) {
            throw new BadInputException("--upweight " + upweight + " must be a number between 1 and " + (int) MAX_UPWEIGHT);
        }
        return this;
    }

    /** config.json's {@code "jtt"} read back: both numbers are required. */
    @JsonCreator
    static JttOptions read(@JsonProperty("epochs") Integer epochs, @JsonProperty("upweight") Double upweight) {
        return new JttOptions(required(epochs, "epochs"), required(upweight, "upweight"));
    }
}
