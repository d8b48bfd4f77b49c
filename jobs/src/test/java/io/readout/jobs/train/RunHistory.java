package io.readout.jobs.train;

import io.readout.common.Json;
import io.readout.jobs.run.EpochRecord;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A run folder's {@code history.json} and {@code config.json} as the training tests read them. */
final class RunHistory {
    /** History entries that measure time, not training. */
    static final List<String> TIMINGS = List.of(EpochRecord.SECONDS, EpochRecord.FIT_SECONDS,
            EpochRecord.EXAMPLES_PER_SECOND, Dedier.WEIGHTS_SECONDS);

    private RunHistory() {
    }

    /** The entries of {@code history.json}, one per epoch, as mutable maps. */
    static List<Map<String, Object>> epochs(Path run) {
        Map<String, Object> history = Json.readObject(read(run.resolve("history.json")), "history");
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : (List<?>) history.get("epochs")) {
            Map<String, Object> e = new LinkedHashMap<>();
            ((Map<?, ?>) o).forEach((k, v) -> e.put((String) k, v));
            out.add(e);
        }
        return out;
    }

    /** The entries without their timings: what two runs that trained alike have in common. */
    static List<Map<String, Object>> figures(Path run) {
        List<Map<String, Object>> epochs = epochs(run);
        epochs.forEach(e -> e.keySet().removeAll(TIMINGS));
        return epochs;
    }

    /** The config {@code run} was trained with, writing to {@code out} instead. */
    static TrainConfig configFor(Path run, Path out) {
        Map<String, Object> json = Json.readObject(read(run.resolve("config.json")), "config");
        json.put("out", out.toString());
        return TrainConfig.fromJson(Json.write(json), "config");
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
