package io.readout.jobs.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;

/**
 * The readout files read into their records and trees with the shared mapper ({@link Json#mapper()}); a file
 * that is not JSON, or not of the record's shape, is reported in one line that names it, as
 * {@link Json#readObject} does. Also what the records need to write: another package's JSON held as a tree,
 * and a record as one line for a log.
 */
public final class JsonFiles {
    private JsonFiles() {
    }

    /** A file's text as a {@code type}; {@code where} names the file in the one-line error. */
    public static <T> T read(String json, String where, Class<T> type) {
        try {
            return Json.mapper().readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new BadInputException(where + ": not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** A file's text as a JSON object; {@code where} names the file in the one-line error. */
    public static ObjectNode readObject(String json, String where) {
        ObjectNode node = read(json, where, ObjectNode.class);
        if (node == null) {
            throw new BadInputException(where + ": not valid JSON: expected an object, got null");
        }
        return node;
    }

    /**
     * A value of another package's {@code toJson()} as the JSON object it writes, to hold inside a record: the
     * same keys, order and numbers when written.
     */
    public static ObjectNode tree(Object json) {
        return Json.mapper().valueToTree(json);
    }

    /** A value as one line of JSON, for a log line. */
    public static String compact(Object value) {
        try {
            return Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT).writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }
}
