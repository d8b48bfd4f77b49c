package io.readout.jobs.cli;

import io.readout.common.BadInputException;
import io.readout.jobs.io.LockSettings;
import io.readout.jobs.registry.PromotionPolicy;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The flags of the model registry's promotion decision (for {@code readout retrain}, a mixin):
 * where the registry is, the two tolerances of {@link PromotionPolicy}, and how to wait for its lock.
 */
public final class RegistryOptions {
    private static final Pattern DURATION = Pattern.compile("^(\\d+)(ms|s|m|h)$");

    @Option(names = "--registry", required = true, paramLabel = "URI",
            description = "Model registry folder (any Hadoop file system URI); created on the first decision.")
    public String registry;

    @Option(names = "--tolerance", paramLabel = "T", defaultValue = "" + PromotionPolicy.DEFAULT_TOLERANCE,
            description = "Promote only if val worst-group accuracy >= the current version's - T (default: ${DEFAULT-VALUE}).")
    public double tolerance;

    @Option(names = "--accuracy-tolerance", paramLabel = "T", defaultValue = "" + PromotionPolicy.DEFAULT_ACCURACY_TOLERANCE,
            description = "... and val average accuracy >= the current version's - T (default: ${DEFAULT-VALUE}).")
    public double accuracyTolerance;

    @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "10m",
            description = "How long to wait for another run's registry lock, e.g. 30s, 10m (default: ${DEFAULT-VALUE}); then exit code 3.")
    public String lockTimeout;

    @Option(names = "--stale-after", paramLabel = "DURATION", defaultValue = "1h",
            description = "A registry lock older than this is broken as left by a dead run (default: ${DEFAULT-VALUE}).")
    public String staleAfter;

    public PromotionPolicy policy() {
        return new PromotionPolicy(tolerance, accuracyTolerance);
    }

    public LockSettings lockSettings() {
        return new LockSettings(duration("--lock-timeout", lockTimeout), duration("--stale-after", staleAfter),
                LockSettings.DEFAULT_POLL);
    }

    /** {@code 500ms}, {@code 30s}, {@code 10m}, {@code 2h}. */
    static Duration duration(String flag, String value) {
        Matcher m = DURATION.matcher(value.strip().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new BadInputException(flag + " '" + value + "' is not a duration like 500ms, 30s, 10m or 2h");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
