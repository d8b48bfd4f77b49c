package io.readout.jobs.cli;

import io.readout.common.BadInputException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The registry flags: their defaults and the durations they accept. */
class RegistryOptionsTest {
    @Command(name = "retrain")
    static final class Host {
        @Mixin
        RegistryOptions registry = new RegistryOptions();
    }

    static RegistryOptions parse(String... args) {
        Host h = new Host();
        new CommandLine(h).parseArgs(args);
        return h.registry;
    }

    @Test
    void defaults() {
        RegistryOptions o = parse("--registry", "hdfs://nn:8020/models/dom");
        assertEquals("hdfs://nn:8020/models/dom", o.registry);
        assertEquals(0.0, o.policy().tolerance());
        assertEquals(0.01, o.policy().accuracyTolerance());
        assertEquals(Duration.ofMinutes(10), o.lockSettings().timeout());
        assertEquals(Duration.ofHours(1), o.lockSettings().staleAfter());
    }

    @Test
    void givenValues() {
        RegistryOptions o = parse("--registry", "/r", "--tolerance", "0.02", "--accuracy-tolerance", "0",
                "--lock-timeout", "30s", "--stale-after", "500ms");
        assertEquals(0.02, o.policy().tolerance());
        assertEquals(0.0, o.policy().accuracyTolerance());
        assertEquals(Duration.ofSeconds(30), o.lockSettings().timeout());
        assertEquals(Duration.ofMillis(500), o.lockSettings().staleAfter());
        BadInputException bad = assertThrows(BadInputException.class,
                () -> parse("--registry", "/r", "--lock-timeout", "ten minutes").lockSettings());
        assertEquals("--lock-timeout 'ten minutes' is not a duration like 500ms, 30s, 10m or 2h", bad.getMessage());
        assertThrows(BadInputException.class, () -> parse("--registry", "/r", "--tolerance", "-1").policy());
    }
}
