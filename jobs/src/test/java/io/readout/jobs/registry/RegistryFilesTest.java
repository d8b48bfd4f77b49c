package io.readout.jobs.registry;

import io.readout.jobs.TestResources;

import io.readout.common.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The registry's files as records ({@link DecisionEntry}, {@link VersionFile}): a registry written before them
 * ({@code registry/}: accepted, refused and recovered decisions) reads back and comes out byte for byte as it was,
 * and a decision appended to it keeps the older entries' bytes.
 */
class RegistryFilesTest {
    @TempDir
    Path tmp;

    static String fixture(String path) {
        return TestResources.text(RegistryFilesTest.class, "registry/" + path);
    }

    @Test
    void theHistoryReadsAndWritesBackTheSameBytes() throws IOException {
        String text = fixture("history.json");
        Registry.DecisionLog log = Json.mapper().readValue(text, Registry.DecisionLog.class);
        assertEquals(text, Json.write(log));
        List<DecisionEntry> d = log.decisions();
        assertEquals(List.of("accepted", "refused", "accepted", "refused"), d.stream().map(DecisionEntry::decision).toList());
        assertNull(d.get(0).current());
        assertNull(d.get(0).currentVal());
        assertNull(d.get(0).recovered());
        assertEquals(true, d.get(2).recovered());
        assertEquals("v000002", d.get(2).version());
        assertEquals(0.7, d.get(1).currentVal().get("worst_group_accuracy").doubleValue());
    }

    @ParameterizedTest
    @ValueSource(strings = {"v000001", "v000002"})
    void versionFilesReadAndWriteBackTheSameBytes(String version) {
        String text = fixture("versions/" + version + "/version.json");
        VersionFile v = VersionFile.read(text, "version.json");
        assertEquals(version, v.version());
        assertEquals(List.of("val", "test"), List.copyOf(v.metrics().keySet()));
        assertEquals(v.created(), v.decision().time());
        assertEquals(text, Json.write(v));
    }

    @Test
    void aDecisionAppendedToAnOldHistoryKeepsItsEntries() throws IOException {
        Path registry = tmp.resolve("registry");
        for (String f : List.of("history.json", "current", "versions/v000001/version.json",
                "versions/v000002/version.json")) {
            Files.createDirectories(registry.resolve(f).getParent());
            Files.writeString(registry.resolve(f), fixture(f));
        }
        // The current version's val.json, as promotion copied it.
        String val = Json.write(VersionFile.read(fixture("versions/v000002/version.json"), "v").metrics().get("val"));
        Files.createDirectories(registry.resolve("versions/v000002/metrics"));
        Files.writeString(registry.resolve("versions/v000002/metrics/val.json"), val);
        String base = tmp.toUri().toString().replaceAll("/$", "");
        Registry.Decision d = new Registry(RegistryTest.CONF, base + "/registry", RegistryScenarios.QUICK)
                .decideAndRecord(CandidateRuns.write(RegistryTest.CONF, base + "/runs/e", 0.5, 0.5),
                        PromotionPolicy.defaults());
        String old = fixture("history.json");
        String now = Files.readString(registry.resolve("history.json"));
        String kept = old.substring(0, old.lastIndexOf("\n  } ]\n}\n"));
        assertTrue(now.startsWith(kept + "\n  }, {\n"), "the old entries' bytes are kept: " + now);
        assertEquals("refused", d.entry().decision());
        List<DecisionEntry> all = new ArrayList<>(Json.mapper().readValue(old, Registry.DecisionLog.class).decisions());
        all.add(d.entry());
        assertEquals(all, Json.mapper().readValue(now, Registry.DecisionLog.class).decisions());
        assertEquals(Json.write(new Registry.DecisionLog(all)), now);
    }
}
