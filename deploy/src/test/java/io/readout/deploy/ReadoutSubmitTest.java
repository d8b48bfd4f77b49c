package io.readout.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The spark-submit command line deploy/bin/readout-submit builds ({@code --dry-run}), and its usage errors. */
class ReadoutSubmitTest {
    private static final String SUBMIT = "bin/readout-submit";

    /** The words of a dry run, with bash's {@code %q} escapes undone. */
    private static List<String> dryRun(Map<String, String> env, String... args) throws Exception {
        String[] all = new String[args.length + 4];
        all[0] = "--jar";
        all[1] = "target/readout.jar";
        all[2] = "--dry-run";
        System.arraycopy(args, 0, all, 3, args.length);
        all[all.length - 1] = "--verbose";
        Scripts.Result r = Scripts.run(env, SUBMIT, all);
        assertEquals(0, r.code(), r.err());
        return Scripts.words(r.out());
    }

    @Test
    void driverAndExecutorsGetTheModuleOpeningsAndRoomForNd4j() throws Exception {
        List<String> w = dryRun(Map.of(), "--master", "spark://10.0.0.1:7077", "--executor-memory", "3g",
                "--native-memory", "1g", "--conf", "spark.executor.extraJavaOptions=-Dmine=1", "train", "--method", "erm");
        String opens = Files.readString(Scripts.DEPLOY.resolve("target/jvm.options")).strip();
        String executor = Scripts.conf(w, "spark.executor.extraJavaOptions");
        String driver = Scripts.conf(w, "spark.driver.extraJavaOptions");
        assertTrue(executor.startsWith(opens + " "), executor);
        assertTrue(driver.startsWith(opens + " "), driver);
        assertTrue(executor.contains("-Dorg.bytedeco.javacpp.maxbytes=1024M -Dorg.bytedeco.javacpp.maxphysicalbytes=4608M"),
                executor); // 3g heap + 1g native + 512m
        assertTrue(executor.endsWith(" -Dmine=1"), "the user's own options come last: " + executor);
        assertEquals("1536m", Scripts.conf(w, "spark.executor.memoryOverhead"));
        assertEquals(null, Scripts.conf(w, "spark.serializer"), "the jobs' Java serialization unless --kryo");
        assertEquals(null, Scripts.conf(w, "spark.eventLog.enabled"), "event logs only for the local cluster");
        int jar = w.indexOf("target/readout.jar");
        assertEquals("io.readout.jobs.cli.ReadoutCli", w.get(jar - 1));
        assertEquals(List.of("train", "--method", "erm", "--verbose"), w.subList(jar + 1, w.size()));
        assertEquals("readout train", w.get(w.indexOf("--name") + 1));
    }

    @Test
    void anyReadoutCommandPassesThroughUntouched() throws Exception {
        List<String> w = dryRun(Map.of(), "--master", "local[2]", "demo", "--master", "x", "--gpu", "--conf", "a=b");
        int jar = w.indexOf("target/readout.jar");
        assertEquals(List.of("demo", "--master", "x", "--gpu", "--conf", "a=b", "--verbose"), w.subList(jar + 1, w.size()));
        assertEquals("local[2]", w.get(w.indexOf("--master") + 1));
    }

    @Test
    void kryoSetsTheSerializerAndTheRegistratorTogether() throws Exception {
        List<String> w = dryRun(Map.of(), "--kryo", "evaluate");
        assertEquals("org.apache.spark.serializer.KryoSerializer", Scripts.conf(w, "spark.serializer"));
        assertEquals("io.readout.jobs.spark.ReadoutKryoRegistrator", Scripts.conf(w, "spark.kryo.registrator"));
    }

    @Test
    void withoutSparkHomeItIsSparkSubmitInAJvmWithTheDriversFlags(@TempDir Path tmp) throws Exception {
        // A Spark home without bin/spark-submit (like the assembled one): java -cp 'jars/*' SparkSubmit.
        Files.createDirectories(tmp.resolve("jars"));
        List<String> w = dryRun(Map.of("SPARK_HOME", tmp.toString()), "--driver-memory", "3g", "prepare");
        int main = w.indexOf("org.apache.spark.deploy.SparkSubmit");
        assertTrue(main > 0, w.toString());
        List<String> jvm = w.subList(0, main);
        assertTrue(jvm.contains("-Xmx3g"), jvm.toString());
        assertTrue(jvm.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), jvm.toString());
        assertTrue(jvm.contains(tmp + "/conf:" + tmp + "/jars/*"), jvm.toString());

        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Files.writeString(bin.resolve("spark-submit"), "#!/bin/sh\n");
        assertTrue(bin.resolve("spark-submit").toFile().setExecutable(true));
        List<String> withScript = dryRun(Map.of("SPARK_HOME", tmp.toString()), "prepare");
        assertEquals(bin.resolve("spark-submit").toString(), withScript.get(0));
        assertFalse(withScript.contains("org.apache.spark.deploy.SparkSubmit"));
    }

    @Test
    void badArgumentsAreAUsageErrorWithExitCodeTwo() throws Exception {
        for (String[] args : List.of(new String[0], new String[] {"--master"}, new String[] {"--frobnicate", "train"},
                new String[] {"--executor-memory", "lots", "train"}, new String[] {"--deploy-mode", "both", "train"},
                new String[] {"--conf", "novalue", "train"})) {
            Scripts.Result r = Scripts.run(Map.of(), SUBMIT, args);
            assertEquals(2, r.code(), Arrays.toString(args) + ": " + r.err());
            List<String> lines = r.err().lines().toList();
            assertTrue(lines.get(0).startsWith("readout-submit: "), r.err());
            assertTrue(lines.get(1).startsWith("usage: readout-submit "), r.err());
        }
    }
}
