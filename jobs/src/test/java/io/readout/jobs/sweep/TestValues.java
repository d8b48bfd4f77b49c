package io.readout.jobs.sweep;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Flag values for tests: {@code values("lr", 0.1, "epochs", 2)}, {@code space("lr", List.of(0.1, 0.2))}. */
final class TestValues {
    private TestValues() {
    }

    static Map<String, FlagValue> values(Object... flagsAndValues) {
        Map<String, FlagValue> m = new LinkedHashMap<>();
        for (int i = 0; i < flagsAndValues.length; i += 2) {
            m.put((String) flagsAndValues[i], new FlagValue(flagsAndValues[i + 1]));
        }
        return m;
    }

    static List<FlagValue> list(List<?> values) {
        List<FlagValue> out = new ArrayList<>();
        for (Object v : values) {
            out.add(new FlagValue(v));
        }
        return out;
    }

    static Map<String, List<FlagValue>> space(Object... flagsAndLists) {
        Map<String, List<FlagValue>> m = new LinkedHashMap<>();
        for (int i = 0; i < flagsAndLists.length; i += 2) {
            m.put((String) flagsAndLists[i], list((List<?>) flagsAndLists[i + 1]));
        }
        return m;
    }
}
