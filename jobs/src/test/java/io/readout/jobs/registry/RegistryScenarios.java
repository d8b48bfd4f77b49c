package io.readout.jobs.registry;

import io.readout.common.Json;
import io.readout.jobs.io.LockSettings;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry's behaviour, checked the same way on a local folder (RegistryTest) and on HDFS (RegistryHdfsIT). */
final class RegistryScenarios {
    static final LockSettings QUICK = new LockSettings(Duration.ofSeconds(60), Duration.ofHours(1), Duration.ofMillis(10));

    private RegistryScenarios() {
    }

    /** First promoted, a worse one refused, a better one promoted: versions, pointer and history. */
    static void promoteRefusePromote(Configuration conf, String base) throws IOException {
        String uri = base + "/registry";
        Registry registry = new Registry(conf, uri, QUICK);
        assertEquals(Optional.empty(), registry.current());
        assertEquals(List.of(), registry.history());

        String first = CandidateRuns.write(conf, base + "/runs/first", 0.70, 0.85);
        Registry.Decision d1 = registry.decideAndRecord(first, PromotionPolicy.defaults());
        assertTrue(d1.promoted());
        assertEquals("v000001", d1.version());
        assertNull(d1.comparedWith());
        assertEquals("no current version", d1.reason());
        assertEquals(Optional.of(registry.versionDir("v000001").toString()), registry.current());
        FileSystem fs = new Path(uri).getFileSystem(conf);
        Path v1 = registry.versionDir("v000001");
        for (String f : List.of("model.zip", "config.json", "history.json", "metrics/val.json", "metrics/test.json",
                "version.json", "_SUCCESS")) {
            assertTrue(fs.exists(new Path(v1, f)), f);
        }
        assertFalse(fs.exists(new Path(v1, "best.zip")), "only the essentials are copied");
        assertEquals("model of " + base + "/runs/first", read(fs, new Path(v1, "model.zip")));
        Map<String, Object> versionJson = Json.readObject(read(fs, new Path(v1, "version.json")), "version.json");
        assertEquals("v000001", versionJson.get("version"));
        assertEquals(first, versionJson.get("source"));
        assertEquals(0.70, ((Map<?, ?>) ((Map<?, ?>) versionJson.get("metrics")).get("val")).get("worst_group_accuracy"));
        assertEquals("v000001\n", read(fs, new Path(uri, "current")));

        String worse = CandidateRuns.write(conf, base + "/runs/worse", 0.612, 0.90);
        Registry.Decision d2 = new Registry(conf, uri, QUICK).decideAndRecord(worse, PromotionPolicy.defaults());
        assertFalse(d2.promoted());
        assertNull(d2.version());
        assertEquals("v000001", d2.comparedWith());
        assertEquals("val worst-group accuracy 0.612 < 0.700 - 0.000 (v000001)", d2.reason());
        assertEquals(Optional.of("v000001"), registry.currentVersion(), "a refusal leaves the pointer");
        assertFalse(fs.exists(registry.versionDir("v000002")), "nothing is copied for a refusal");

        String better = CandidateRuns.write(conf, base + "/runs/better", 0.72, 0.845);
        Registry.Decision d3 = registry.decideAndRecord(better, PromotionPolicy.defaults());
        assertTrue(d3.promoted(), d3.reason());
        assertEquals("v000002", d3.version());
        assertEquals("v000001", d3.comparedWith());
        assertEquals("val worst-group accuracy 0.720 >= 0.700 - 0.000 (v000001); val accuracy 0.845 >= 0.850 - 0.010 (v000001)",
                d3.reason());
        assertEquals(Optional.of(registry.versionDir("v000002").toString()), registry.current());
        assertEquals("model of " + base + "/runs/better", read(fs, new Path(registry.versionDir("v000002"), "model.zip")));

        List<DecisionEntry> history = registry.history();
        assertEquals(3, history.size());
        assertEquals(List.of("accepted", "refused", "accepted"), history.stream().map(DecisionEntry::decision).toList());
        assertEquals(List.of(first, worse, better), history.stream().map(DecisionEntry::candidate).toList());
        DecisionEntry refused = history.get(1);
        assertEquals(d2.reason(), refused.reason());
        assertEquals(d2.entry(), refused);
        assertEquals("v000001", refused.current());
        assertEquals(0.612, refused.candidateVal().get("worst_group_accuracy").doubleValue());
        assertEquals(0.70, refused.currentVal().get("worst_group_accuracy").doubleValue());
        assertEquals(0.0, refused.tolerance());
        assertEquals(0.01, refused.accuracyTolerance());
        assertNull(refused.version());
        assertNull(refused.recovered());
        assertTrue(refused.time().matches("\\d{4}-\\d\\d-\\d\\dT.*Z"), refused.time());
        assertFalse(fs.exists(new Path(uri, "lock")), "the lock is released");
    }

    /**
     * {@code threads} runs, each with its own Registry, decide at once while a reader polls the pointer:
     * every decision recorded once, version numbers unique and consecutive, the pointer on the last
     * promotion, each decision compared with the version promoted just before it, and the reader never
     * finding the pointer missing (or naming an incomplete version) once a first version exists.
     */
    static void concurrentDecisions(Configuration conf, String base, int threads) throws Exception {
        String uri = base + "/registry";
        List<String> runs = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            // Worst-group accuracies that go up and down, so both decisions happen whatever the order.
            double wga = 0.5 + 0.05 * ((i * 5) % threads);
            runs.add(CandidateRuns.write(conf, base + "/runs/c" + i, wga, 0.9));
        }
        AtomicBoolean done = new AtomicBoolean();
        ConcurrentLinkedQueue<String> readerFailures = new ConcurrentLinkedQueue<>();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = new Thread(() -> {
            Registry r = new Registry(conf, uri, QUICK);
            boolean seen = false;
            try {
                FileSystem fs = new Path(uri).getFileSystem(conf);
                while (!done.get()) {
                    Optional<String> cur = r.current();
                    reads.incrementAndGet();
                    if (cur.isPresent()) {
                        seen = true;
                        if (!fs.exists(new Path(cur.get(), "_SUCCESS")) || !fs.exists(new Path(cur.get(), "model.zip"))) {
                            readerFailures.add("current names an incomplete version " + cur.get());
                        }
                    } else if (seen) {
                        readerFailures.add("the pointer went missing");
                    }
                }
            } catch (Exception e) {
                readerFailures.add(e.toString());
            }
        });
        reader.start();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Registry.Decision>> futures = new ArrayList<>();
        try {
            for (String run : runs) {
                futures.add(pool.submit(() -> {
                    go.await();
                    return new Registry(conf, uri, QUICK).decideAndRecord(run, PromotionPolicy.defaults());
                }));
            }
            go.countDown();
            for (Future<Registry.Decision> f : futures) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            done.set(true);
            reader.join(10_000);
        }
        assertEquals(List.of(), List.copyOf(readerFailures), "reads: " + reads.get());
        assertTrue(reads.get() > 0);

        Registry registry = new Registry(conf, uri, QUICK);
        List<DecisionEntry> history = registry.history();
        assertEquals(threads, history.size(), "one entry per decision, none lost");
        assertEquals(new HashSet<>(runs), history.stream().map(DecisionEntry::candidate).collect(
                Collectors.toSet()));
        List<String> promoted = new ArrayList<>();
        String current = null;
        for (DecisionEntry e : history) {
            assertEquals(current, e.current(), "each decision compares with the version current at the time: " + e);
            if (e.accepted()) {
                current = e.version();
                promoted.add(current);
            }
        }
        assertEquals(new HashSet<>(promoted).size(), promoted.size(), "unique version numbers: " + promoted);
        for (int i = 0; i < promoted.size(); i++) {
            assertEquals(Registry.name(i + 1), promoted.get(i));
        }
        assertEquals(Optional.of(current), registry.currentVersion());
        FileSystem fs = new Path(uri).getFileSystem(conf);
        Set<String> dirs = new HashSet<>();
        for (var s : fs.listStatus(new Path(uri, "versions"))) {
            dirs.add(s.getPath().getName());
        }
        assertEquals(new HashSet<>(promoted), dirs, "a folder per promotion and no temporaries left");
        assertFalse(fs.exists(new Path(uri, "lock")));
    }

    static String read(FileSystem fs, Path p) throws IOException {
        try (InputStream in = fs.open(p)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
