package io.readout.jobs.aggregate;

import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** methods.json and paired.json: exactly the documented keys, read back as written, bad files named. */
class AggregateFilesTest {
    private static final List<AggregateFiles.Method> METHODS = List.of(
            new AggregateFiles.Method("student erm", "final", "test", "wga", new SeedSummary(0.5, 0.25, 0.25, 0.75, 3)),
            new AggregateFiles.Method("student kd", "best", "val", "accuracy", new SeedSummary(0.8, null, 0.8, 0.8, 1)));
    private static final List<AggregateFiles.Paired> PAIRED = List.of(new AggregateFiles.Paired("student kd",
            "student erm", "final", "test", "wga", new SeedSummary(-0.125, 0.0625, -0.25, 0.0, 3)));

    @Test
    void theKeysAreTheContractsAndTheFilesReadBack(@TempDir Path dir) throws IOException {
        JsonNode methods = Json.mapper().valueToTree(METHODS);
        assertEquals(List.of("run", "model", "split", "metric", "mean", "std", "min", "max", "n"),
                keys(methods.get(0)));
        assertTrue(methods.get(1).get("std").isNull());
        assertEquals(List.of("run", "baseline", "model", "split", "metric", "mean", "std", "min", "max", "n"),
                keys(Json.mapper().<JsonNode>valueToTree(PAIRED).get(0)));

        Files.writeString(dir.resolve("methods.json"), Json.write(METHODS));
        Files.writeString(dir.resolve("paired.json"), Json.write(PAIRED));
        String shown = dir.toString();
        assertTrue(assertThrows(BadInputException.class, () -> AggregateFiles.read(new Configuration(), shown))
                .getMessage().startsWith(shown + ": no complete aggregate"), "no _SUCCESS: not complete");
        Files.writeString(dir.resolve("_SUCCESS"), "");
        AggregateFiles.Aggregate a = AggregateFiles.read(new Configuration(), shown);
        assertEquals(METHODS, a.methods());
        assertEquals(PAIRED, a.paired());
        assertEquals(METHODS.get(1), a.method("student kd", "best", "val", "accuracy"));

        Files.writeString(dir.resolve("paired.json"), "[{\"run\": \"x\"}]");
        assertEquals(dir.resolve("paired.json") + ": baseline of an entry is not text: {\"run\":\"x\"}",
                assertThrows(BadInputException.class, () -> AggregateFiles.read(new Configuration(), shown)).getMessage());
        Files.writeString(dir.resolve("methods.json"), "{}");
        assertEquals(dir.resolve("methods.json") + ": expected a list of objects",
                assertThrows(BadInputException.class, () -> AggregateFiles.read(new Configuration(), shown)).getMessage());
    }

    private static List<String> keys(JsonNode o) {
        List<String> keys = new ArrayList<>();
        o.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
