package io.readout.jobs.sweep;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A value of a train flag as {@code sweep.json} gives it: a string, a number (an Integer, Long or BigInteger when
 * whole, as Jackson reads it, else a Double) or true/false. Written back to JSON as that value; shown as Java
 * shows it ({@code 0.001}, {@code 5}, {@code erm}, {@code true}). Two values are equal when their numbers have
 * the same type and value: {@code 1} and {@code 1.0} are different values of a flag.
 */
public record FlagValue(Object value) {
    public FlagValue {
        if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
            throw new IllegalArgumentException("not a string, number or true/false: " + value);
        }
    }

    /** The scalar of a JSON value, or null when it is an object, a list or null. */
    static FlagValue of(JsonNode v) {
        if (v.isTextual()) {
            return new FlagValue(v.textValue());
        }
        if (v.isNumber()) {
            return new FlagValue(v.numberValue());
        }
        return v.isBoolean() ? new FlagValue(v.booleanValue()) : null;
    }

    @JsonValue
    @Override
    public Object value() {
        return value;
    }

    @Override
    public String toString() {
        return String.valueOf(value);
    }
}
