package io.readout.jobs.registry;

import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.jobs.io.ExclusiveLock;
import io.readout.jobs.io.LockSettings;
import io.readout.jobs.io.LockedException;
import io.readout.jobs.io.SmallFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The registry on a local folder through Hadoop's file system: decisions, the pointer, the lock. */
class RegistryTest {
    static final Configuration CONF = new Configuration();

    @TempDir
    java.nio.file.Path tmp;

    String base() {
        return tmp.toUri().toString().replaceAll("/$", "");
    }

    @Test
    void promotesRefusesAndPromotes() throws Exception {
        RegistryScenarios.promoteRefusePromote(CONF, base());
    }

    @Test
    void eightConcurrentDecisionsStayConsistent() throws Exception {
        RegistryScenarios.concurrentDecisions(CONF, base(), 8);
    }

    @Test
    void aLockWhoseProcessIsGoneIsBroken() throws Exception {
        Process p = new ProcessBuilder("true").start();
        assertEquals(0, p.waitFor());
        writeLock(ExclusiveLock.HOST, p.pid(), System.currentTimeMillis());
        Registry.Decision d = new Registry(CONF, base() + "/registry", RegistryScenarios.QUICK)
                .decideAndRecord(CandidateRuns.write(CONF, base() + "/runs/a", 0.7, 0.8), PromotionPolicy.defaults());
        assertTrue(d.promoted());
        assertFalse(Files.exists(tmp.resolve("registry/lock")));
        assertEquals(List.of(), leftovers(), "no break markers left behind");
    }

    @Test
    void aLockOlderThanStaleAfterIsBroken() throws Exception {
        writeLock("another-host", 4242, System.currentTimeMillis() - Duration.ofHours(2).toMillis());
        LockSettings settings = new LockSettings(Duration.ofSeconds(5), Duration.ofHours(1), Duration.ofMillis(10));
        Registry.Decision d = new Registry(CONF, base() + "/registry", settings)
                .decideAndRecord(CandidateRuns.write(CONF, base() + "/runs/a", 0.7, 0.8), PromotionPolicy.defaults());
        assertTrue(d.promoted());
        assertEquals(1, new Registry(CONF, base() + "/registry", settings).history().size());
    }

    @Test
    void aLiveLockMakesTheSecondRunWaitThenGiveUpWithExitCodeThree() throws Exception {
        long taken = System.currentTimeMillis();
        writeLock("another-host", 4242, taken);
        LockSettings settings = new LockSettings(Duration.ofMillis(300), Duration.ofHours(1), Duration.ofMillis(20));
        String run = CandidateRuns.write(CONF, base() + "/runs/a", 0.7, 0.8);
        long start = System.nanoTime();
        LockedException e = assertThrows(LockedException.class,
                () -> new Registry(CONF, base() + "/registry", settings).decideAndRecord(run, PromotionPolicy.defaults()));
        assertTrue(System.nanoTime() - start >= 300_000_000L, "waited the timeout");
        assertEquals("--registry " + tmp.resolve("registry") + ": locked by another-host pid 4242 since "
                + Instant.ofEpochMilli(taken) + " (" + tmp.resolve("registry/lock") + "); waited 300ms."
                + " If that run is dead, delete the lock file, or wait until it is older than --stale-after 1h", e.getMessage());
        assertEquals(3, LockedException.EXIT_CODE);
        assertTrue(Files.exists(tmp.resolve("registry/lock")), "a live lock is left alone");
        assertEquals(List.of(), new Registry(CONF, base() + "/registry", settings).history(), "nothing recorded");
    }

    @Test
    void theLockIsReleasedWhenTheDecisionFails() throws Exception {
        String uri = base() + "/registry";
        Registry registry = new Registry(CONF, uri, RegistryScenarios.QUICK);
        registry.decideAndRecord(CandidateRuns.write(CONF, base() + "/runs/a", 0.7, 0.8), PromotionPolicy.defaults());
        // The current version's val.json went missing: the decision fails, and the next run is not locked out.
        Files.delete(tmp.resolve("registry/versions/v000001/metrics/val.json"));
        String b = CandidateRuns.write(CONF, base() + "/runs/b", 0.8, 0.8);
        assertThrows(BadInputException.class, () -> registry.decideAndRecord(b, PromotionPolicy.defaults()));
        assertFalse(Files.exists(tmp.resolve("registry/lock")));
    }

    @Test
    void aDecisionItsRunDidNotRecordIsRecoveredFromTheVersion() throws Exception {
        String uri = base() + "/registry";
        Registry registry = new Registry(CONF, uri, RegistryScenarios.QUICK);
        registry.decideAndRecord(CandidateRuns.write(CONF, base() + "/runs/a", 0.7, 0.8), PromotionPolicy.defaults());
        // As if the run had died after moving the pointer, before appending to the history.
        Files.writeString(tmp.resolve("registry/history.json"), "{\"decisions\": []}\n");
        registry.decideAndRecord(CandidateRuns.write(CONF, base() + "/runs/b", 0.6, 0.8), PromotionPolicy.defaults());
        List<DecisionEntry> history = registry.history();
        assertEquals(2, history.size());
        assertEquals("v000001", history.get(0).version());
        assertEquals(true, history.get(0).recovered());
        assertEquals("refused", history.get(1).decision());
    }

    @Test
    void aVersionFolderNothingPointsToKeepsItsNumber() throws Exception {
        String uri = base() + "/registry";
        Registry registry = new Registry(CONF, uri, RegistryScenarios.QUICK);
        registry.decideAndRecord(CandidateRuns.write(CONF, base() + "/runs/a", 0.7, 0.8), PromotionPolicy.defaults());
        // As if a run had died after writing v000002 (or while writing it), before moving the pointer.
        Files.createDirectories(tmp.resolve("registry/versions/.v000003.tmp-dead"));
        Registry.Decision d = registry.decideAndRecord(CandidateRuns.write(CONF, base() + "/runs/b", 0.8, 0.8),
                PromotionPolicy.defaults());
        assertEquals("v000004", d.version());
    }

    @Test
    void badCandidatesAreReportedInOneLine() throws Exception {
        String uri = base() + "/registry";
        Registry registry = new Registry(CONF, uri, RegistryScenarios.QUICK);
        String run = CandidateRuns.write(CONF, base() + "/runs/a", 0.7, 0.8);
        Files.delete(tmp.resolve("runs/a/metrics/val.json"));
        BadInputException noVal = assertThrows(BadInputException.class,
                () -> registry.decideAndRecord(run, PromotionPolicy.defaults()));
        assertEquals(run + ": no metrics/val.json (run readout evaluate --run " + run + " --split val first)",
                noVal.getMessage());
        Files.delete(tmp.resolve("runs/a/_SUCCESS"));
        BadInputException incomplete = assertThrows(BadInputException.class,
                () -> registry.decideAndRecord(run, PromotionPolicy.defaults()));
        assertEquals(run + ": not a complete run (no _SUCCESS)", incomplete.getMessage());
        BadInputException missing = assertThrows(BadInputException.class,
                () -> registry.decideAndRecord(base() + "/runs/none", PromotionPolicy.defaults()));
        assertTrue(missing.getMessage().contains("runs/none: no such file or directory"), missing.getMessage());
        Files.writeString(tmp.resolve("file"), "x");
        String ok = CandidateRuns.write(CONF, base() + "/runs/ok", 0.7, 0.8);
        BadInputException file = assertThrows(BadInputException.class,
                () -> new Registry(CONF, base() + "/file", RegistryScenarios.QUICK).decideAndRecord(ok, PromotionPolicy.defaults()));
        assertEquals("--registry " + tmp.resolve("file") + ": is a file, expected a folder", file.getMessage());
        assertFalse(Files.exists(tmp.resolve("registry")), "nothing created for refused input");
    }

    /** Hadoop's local create(path, overwrite=false) checks, then opens: the registry's own exclusive create must not. */
    @Test
    void exactlyOneOfManyRacingCreatorsWins() throws Exception {
        FileSystem fs = SmallFiles.unchecked(FileSystem.getLocal(CONF));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 30; round++) {
                Path p = new Path(tmp.toUri().toString() + "/race-" + round);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Boolean>> wins = new ArrayList<>();
                for (int t = 0; t < 8; t++) {
                    byte[] mine = ("owner " + t).getBytes();
                    wins.add(pool.submit(() -> {
                        go.await();
                        return SmallFiles.createExclusive(fs, p, mine);
                    }));
                }
                go.countDown();
                int won = 0;
                for (Future<Boolean> f : wins) {
                    won += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
                }
                assertEquals(1, won, "round " + round);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    void writeLock(String host, long pid, long timeMillis) throws Exception {
        Files.createDirectories(tmp.resolve("registry/versions"));
        Files.write(tmp.resolve("registry/lock"), ExclusiveLock.content("someone-else", host, pid, timeMillis));
        assertEquals(host, Json.readObject(Files.readString(tmp.resolve("registry/lock")), "lock").get("host"));
    }

    List<String> leftovers() throws Exception {
        try (var s = Files.list(tmp.resolve("registry"))) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("lock") || n.startsWith(".")).toList();
        }
    }
}
