package io.readout.jobs.io;

import io.readout.common.BadInputException;

import java.time.Duration;

/**
 * How a run waits for an {@link ExclusiveLock} (the registry's: {@code --lock-timeout}, {@code --stale-after}).
 *
 * @param timeout    how long to wait for another run's lock before giving up ({@code --lock-timeout})
 * @param staleAfter a lock older than this is taken to be left by a dead run and is broken
 *                   ({@code --stale-after}); a lock whose owner was on this host and whose process is
 *                   gone is broken at once
 * @param poll       how often a waiting run looks again
 */
public record LockSettings(Duration timeout, Duration staleAfter, Duration poll) {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(10);
    public static final Duration DEFAULT_STALE_AFTER = Duration.ofHours(1);
    public static final Duration DEFAULT_POLL = Duration.ofSeconds(2);

    public LockSettings {
        if (timeout.isNegative()) {
            throw new BadInputException("--lock-timeout " + timeout + " must not be negative");
        }
        if (staleAfter.isNegative() || staleAfter.isZero()) {
            throw new BadInputException("--stale-after " + staleAfter + " must be positive");
        }
        if (poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("poll interval must be positive: " + poll);
        }
    }

    public static LockSettings defaults() {
        return new LockSettings(DEFAULT_TIMEOUT, DEFAULT_STALE_AFTER, DEFAULT_POLL);
    }
}
