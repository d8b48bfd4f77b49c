package io.readout.jobs.train;

/** The numbers of a config.json object ({@link TrainConfig} and its methods' options), read back. */
final class JsonNumbers {
    private JsonNumbers() {
    }

    /** {@code value}, the number under {@code key}; IllegalArgumentException naming the key when it is missing. */
    static <N extends Number> N required(N value, String key) {
        if (value == null) {
            throw new IllegalArgumentException("'" + key + "' is missing or not a number");
        }
        return value;
    }
}
