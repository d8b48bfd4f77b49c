package io.readout.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * deploy/gpu on a machine without GPUs: the discovery script's output is what Spark parses, whatever
 * nvidia-smi does, and the settings give one task per GPU and reach spark-submit through readout-submit.
 */
class GpuResourcesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCRIPT = "gpu/discover-gpus.sh";

    private static List<String> addresses(JsonNode discovered) {
        assertEquals("gpu", discovered.get("name").asText(), discovered.toString());
        assertTrue(discovered.get("addresses").isArray(), discovered.toString());
        List<String> out = new ArrayList<>();
        discovered.get("addresses").forEach(a -> {
            assertTrue(a.isTextual(), discovered.toString()); // Spark wants strings
            out.add(a.asText());
        });
        return out;
    }

    private static JsonNode discover(Map<String, String> env) throws Exception {
        Scripts.Result r = Scripts.run(env, SCRIPT);
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().lines().count(), r.out());
        return JSON.readTree(r.out());
    }

    /** A PATH whose nvidia-smi is the given shell script body. */
    private static Map<String, String> withNvidiaSmi(Path dir, String body) throws Exception {
        Path smi = dir.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\n" + body + "\n");
        assertTrue(smi.toFile().setExecutable(true));
        return Map.of("PATH", dir + ":" + System.getenv("PATH"));
    }

    @Test
    void thisMachineReportsValidJsonNamedGpu() throws Exception {
        List<String> found = addresses(discover(Map.of()));
        boolean smiWorks;
        try {
            smiWorks = new ProcessBuilder("nvidia-smi", "-L").start().waitFor() == 0;
        } catch (IOException absent) {
            smiWorks = false;
        }
        if (!smiWorks) {
            assertEquals(List.of(), found);
        }
    }

    @Test
    void aFailingNvidiaSmiMeansNoGpus(@TempDir Path tmp) throws Exception {
        JsonNode discovered = discover(withNvidiaSmi(tmp, "echo 'NVIDIA-SMI has failed because it could not communicate'; exit 9"));
        assertEquals(List.of(), addresses(discovered));
    }

    @Test
    void eachGpuNvidiaSmiListsIsAnAddress(@TempDir Path tmp) throws Exception {
        JsonNode discovered = discover(withNvidiaSmi(tmp, "printf '0\\n1\\n3\\n'"));
        assertEquals(List.of("0", "1", "3"), addresses(discovered));
    }

    @Test
    void anArgumentIsAUsageError() throws Exception {
        Scripts.Result r = Scripts.run(Map.of(), SCRIPT, "--all");
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("usage: discover-gpus.sh"), r.err());
    }

    @Test
    void theSettingsGiveOneTaskPerGpuAndNameTheScript() throws Exception {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(Scripts.DEPLOY.resolve("gpu/gpu.properties"))) {
            p.load(in);
        }
        assertEquals("1", p.getProperty("spark.executor.resource.gpu.amount"));
        assertEquals("1", p.getProperty("spark.task.resource.gpu.amount"));
        String script = p.getProperty("spark.executor.resource.gpu.discoveryScript");
        assertEquals("deploy/" + SCRIPT, script);
        assertTrue(Files.isExecutable(Scripts.DEPLOY.getParent().resolve(script)), script);
        assertEquals(3, p.size(), p.toString());
    }

    @Test
    void readoutSubmitGpuPassesTheSettingsWithTheScriptsFullPath() throws Exception {
        Scripts.Result r = Scripts.run(Map.of(), "bin/readout-submit", "--master", "yarn", "--gpu",
                "--jar", "target/readout.jar", "--dry-run", "train", "--method", "erm");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("--conf spark.executor.resource.gpu.amount=1 "), r.out());
        assertTrue(r.out().contains("--conf spark.task.resource.gpu.amount=1 "), r.out());
        assertTrue(r.out().contains("--conf spark.executor.resource.gpu.discoveryScript="
                + Scripts.DEPLOY.resolve(SCRIPT) + " "), r.out());
    }
}
