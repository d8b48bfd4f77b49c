package io.readout.jobs.run;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One epoch of a training run: a line of {@code history.json}'s {@code "epochs"} (and of a checkpoint's
 * history). Keys, in this order: {@value #EPOCH}, {@value #LOSS}, {@value #VAL_LOSS} (absent from runs trained
 * before it was recorded), {@value #VAL_ACCURACY}, {@value #VAL_WGA},
 * {@value #VAL_GROUP_MEAN}, the training method's own figures, {@value #SECONDS}, {@value #FIT_SECONDS},
 * {@value #TRAIN_ROWS}, {@value #EXAMPLES_PER_SECOND}. The method's figures sit in the middle, so Jackson writes
 * and reads this record through {@link Writer} and {@link Reader} rather than from its components.
 *
 * @param loss              the averaged training loss of the epoch's fit
 * @param valLoss           the mean cross-entropy of the validation split ({@code CrossEntropy}); null when the
 *                          line was written before training recorded it (the key is then left out, not null)
 * @param figures           the method's figures, in the order it gave them (e.g. SIFER's {@code val_aux_accuracy},
 *                          {@code forget_steps}, {@code forget_loss}; DEDIER's {@code val_readout_accuracy} and its
 *                          weights pass); a null value is written as null; empty for ERM
 * @param seconds           the whole epoch, from the method's before-epoch step to the end of validation
 * @param fitSeconds        the parameter-averaged fit alone
 * @param trainRows         the rows the epoch trained on (JTT's upsampled error set counted as often as it is taken)
 * @param examplesPerSecond {@code trainRows / fitSeconds}
 */
@JsonSerialize(using = EpochRecord.Writer.class)
@JsonDeserialize(using = EpochRecord.Reader.class)
public record EpochRecord(int epoch, double loss, Double valLoss, double valAccuracy, double valWga, double valGroupMean,
                          Map<String, Number> figures, double seconds, double fitSeconds, long trainRows,
                          double examplesPerSecond) {
    public static final String EPOCH = "epoch";
    public static final String LOSS = "loss";
    public static final String VAL_LOSS = "val_loss";
    public static final String VAL_ACCURACY = "val_accuracy";
    public static final String VAL_WGA = "val_wga";
    public static final String VAL_GROUP_MEAN = "val_group_mean";
    public static final String SECONDS = "seconds";
    public static final String FIT_SECONDS = "fit_seconds";
    public static final String TRAIN_ROWS = "train_rows";
    public static final String EXAMPLES_PER_SECOND = "examples_per_second";
    /** TrainJob's own keys, in the order they are written; a method's figures go between the two parts. */
    static final List<String> HEAD = List.of(EPOCH, LOSS, VAL_LOSS, VAL_ACCURACY, VAL_WGA, VAL_GROUP_MEAN);
    static final List<String> TAIL = List.of(SECONDS, FIT_SECONDS, TRAIN_ROWS, EXAMPLES_PER_SECOND);

    /** Keeps the method's figures in their order, nulls included. */
    public EpochRecord {
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
    }

    /**
     * The value under a name of the line: one of the validation figures ({@code --select}) or of the method's.
     *
     * @throws IllegalArgumentException when the line has no such number
     */
    public double value(String name) {
        return switch (name) {
            case VAL_ACCURACY -> valAccuracy;
            case VAL_WGA -> valWga;
            case VAL_GROUP_MEAN -> valGroupMean;
            case LOSS -> loss;
            case VAL_LOSS -> {
                if (valLoss == null) {
                    throw new IllegalArgumentException("epoch " + epoch + " has no figure '" + name + "'");
                }
                yield valLoss;
            }
            default -> {
                Number n = figures.get(name);
                if (n == null) {
                    throw new IllegalArgumentException("epoch " + epoch + " has no figure '" + name + "'");
                }
                yield n.doubleValue();
            }
        };
    }

    /** Writes the keys in the order of the class comment. */
    static final class Writer extends StdSerializer<EpochRecord> {
        Writer() {
            super(EpochRecord.class);
        }

        @Override
        public void serialize(EpochRecord r, JsonGenerator g, SerializerProvider provider) throws IOException {
            g.writeStartObject();
            g.writeNumberField(EPOCH, r.epoch);
            g.writeNumberField(LOSS, r.loss);
            if (r.valLoss != null) {
                g.writeNumberField(VAL_LOSS, r.valLoss);
            }
            g.writeNumberField(VAL_ACCURACY, r.valAccuracy);
            g.writeNumberField(VAL_WGA, r.valWga);
            g.writeNumberField(VAL_GROUP_MEAN, r.valGroupMean);
            for (Map.Entry<String, Number> f : r.figures.entrySet()) {
                g.writeFieldName(f.getKey());
                provider.defaultSerializeValue(f.getValue(), g);
            }
            g.writeNumberField(SECONDS, r.seconds);
            g.writeNumberField(FIT_SECONDS, r.fitSeconds);
            g.writeNumberField(TRAIN_ROWS, r.trainRows);
            g.writeNumberField(EXAMPLES_PER_SECOND, r.examplesPerSecond);
            g.writeEndObject();
        }
    }

    /**
     * Reads a line back: TrainJob's keys are required but {@value #VAL_LOSS} (absent or null: not recorded, as in
     * runs trained before it was); every other key is a method's figure, kept in the file's order as the number it
     * was written as (an int stays an int), null, or a non-finite double (which JSON holds as the string
     * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}).
     */
    static final class Reader extends StdDeserializer<EpochRecord> {
        Reader() {
            super(EpochRecord.class);
        }

        @Override
        public EpochRecord deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            JsonNode line = p.readValueAsTree();
            if (line == null || !line.isObject()) {
                return ctxt.reportInputMismatch(EpochRecord.class, "an epoch of history.json is not an object");
            }
            Map<String, Number> figures = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = line.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!HEAD.contains(f.getKey()) && !TAIL.contains(f.getKey())) {
                    figures.put(f.getKey(), figure(ctxt, f.getKey(), f.getValue()));
                }
            }
            JsonNode valLoss = line.get(VAL_LOSS);
            Number recordedValLoss = valLoss == null ? null : figure(ctxt, VAL_LOSS, valLoss);
            return new EpochRecord((int) number(ctxt, line, EPOCH), number(ctxt, line, LOSS),
                    recordedValLoss == null ? null : recordedValLoss.doubleValue(),
                    number(ctxt, line, VAL_ACCURACY), number(ctxt, line, VAL_WGA), number(ctxt, line, VAL_GROUP_MEAN),
                    figures, number(ctxt, line, SECONDS), number(ctxt, line, FIT_SECONDS),
                    (long) number(ctxt, line, TRAIN_ROWS), number(ctxt, line, EXAMPLES_PER_SECOND));
        }

        private static double number(DeserializationContext ctxt, JsonNode line, String key) throws IOException {
            JsonNode v = line.get(key);
            Number n = v == null ? null : figure(ctxt, key, v);
            if (n == null) {
                return ctxt.reportInputMismatch(EpochRecord.class, "an epoch of history.json has no '%s'", key);
            }
            return n.doubleValue();
        }

        private static Number figure(DeserializationContext ctxt, String key, JsonNode v) throws IOException {
            if (v.isNull()) {
                return null;
            }
            if (v.isNumber()) {
                return v.numberValue();
            }
            if (v.isTextual() && List.of("NaN", "Infinity", "-Infinity").contains(v.textValue())) {
                return Double.parseDouble(v.textValue());
            }
            return ctxt.reportInputMismatch(EpochRecord.class, "'%s' of an epoch of history.json is not a number: %s",
                    key, v);
        }
    }
}
