package io.readout.common;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The most FP32 arithmetic one core can do, so a measured rate says how far from the hardware it is: FLOP per
 * cycle from the core's vector ISA, times its clock.
 *
 * <p>FLOP per cycle = FP32 lanes of the widest vector ISA × 2 (a fused multiply-add is two FLOPs) × FMA
 * units: AVX2 has 8 lanes, AVX-512 16, and two FMA units are assumed (every AVX2 core since Intel Haswell
 * and AMD Zen 2, and the Xeon Gold/Platinum AVX-512 cores), so AVX2 gives 32 and AVX-512 64. AMD's AVX-512
 * cores (Zen 4) run a 512-bit FMA as two 256-bit halves on their two units: 32. Anything else (an older
 * or non-x86 core, unknown flags) has no estimate; {@code --flop-per-cycle} gives one.
 *
 * <p>The clock: {@code lscpu}'s "CPU max MHz" when it reports one (the highest clock the core runs at), else
 * /proc/cpuinfo's "cpu MHz" of the first processor (the clock at reading time; in a virtual machine often the
 * host's nominal clock, a boost above it is not seen), or {@code --clock-mhz}. {@link #clockSource} says
 * which. Both parts are estimates: the peak is an upper bound no real training step reaches.
 *
 * @param flopPerCycle FP32 FLOP per cycle of one core, or null when not known
 * @param flopBasis    how {@code flopPerCycle} was found
 * @param clockMhz     the clock in MHz, or null when not known
 * @param clockSource  where the clock came from
 */
public record CorePeak(Integer flopPerCycle, String flopBasis, Double clockMhz, String clockSource) {
    public static final String LSCPU_MAX = "lscpu CPU max MHz";
    public static final String CPUINFO_MHZ = "/proc/cpuinfo cpu MHz, the clock when read";
    public static final String CLOCK_FLAG = "--clock-mhz";
    public static final String FLOP_FLAG = "--flop-per-cycle";

    /** This machine's peak; a non-null argument replaces what it says ({@code --flop-per-cycle}, {@code --clock-mhz}). */
    public static CorePeak current(Integer flopPerCycle, Double clockMhz) {
        MachineCpu cpu = MachineCpu.current();
        return of(cpu, MachineCpu.readCpuinfo().orElse(""),
                clockMhz == null ? MachineCpu.runLscpu().orElse("") : "", flopPerCycle, clockMhz);
    }

    /**
     * The peak of {@code cpu} with the clock from a /proc/cpuinfo and an {@code lscpu} text (either may be empty).
     *
     * @param flopPerCycle replaces the ISA's estimate when not null
     * @param clockMhz     replaces the clock read from the texts when not null
     */
    public static CorePeak of(MachineCpu cpu, String cpuinfo, String lscpu, Integer flopPerCycle, Double clockMhz) {
        Integer flop;
        String basis;
        if (flopPerCycle != null) {
            flop = flopPerCycle;
            basis = FLOP_FLAG + " " + flopPerCycle;
        } else {
            flop = isaFlopPerCycle(cpu).orElse(null);
            basis = isaBasis(cpu);
        }
        if (clockMhz != null) {
            return new CorePeak(flop, basis, clockMhz, CLOCK_FLAG);
        }
        Optional<Double> max = field(lscpu, "CPU max MHz").filter(mhz -> mhz > 0);
        if (max.isPresent()) {
            return new CorePeak(flop, basis, max.get(), LSCPU_MAX);
        }
        Optional<Double> now = field(cpuinfo, "cpu MHz").filter(mhz -> mhz > 0);
        return now.map(mhz -> new CorePeak(flop, basis, mhz, CPUINFO_MHZ))
                .orElseGet(() -> new CorePeak(flop, basis, null, "no clock in /proc/cpuinfo or lscpu; give "
                        + CLOCK_FLAG));
    }

    /** FP32 FLOP per cycle of one core from its ISA flags; empty without AVX2 or AVX-512 (or without flags). */
    public static Optional<Integer> isaFlopPerCycle(MachineCpu cpu) {
        if (cpu.isa() == null) {
            return Optional.empty();
        }
        if (cpu.isa().contains("avx512f")) {
            return Optional.of(amd(cpu) ? 32 : 64);
        }
        return cpu.isa().contains("avx2") ? Optional.of(32) : Optional.empty();
    }

    private static String isaBasis(MachineCpu cpu) {
        if (cpu.isa() == null) {
            return "the CPU's ISA flags are not known; give " + FLOP_FLAG;
        }
        if (cpu.isa().contains("avx512f")) {
            return amd(cpu)
                    ? "avx512f on AMD (Zen 4): 16 FP32 lanes x 2 FLOP per FMA x 1, a 512-bit FMA taking both 256-bit units"
                    : "avx512f: 16 FP32 lanes x 2 FLOP per FMA x 2 FMA units, assumed";
        }
        return cpu.isa().contains("avx2") ? "avx2: 8 FP32 lanes x 2 FLOP per FMA x 2 FMA units, assumed"
                : "no AVX2 or AVX-512: not estimated; give " + FLOP_FLAG;
    }

    private static boolean amd(MachineCpu cpu) {
        return cpu.model().startsWith("AMD");
    }

    /** The first {@code key: number} line of a /proc/cpuinfo or lscpu text. */
    static Optional<Double> field(String text, String key) {
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equals(key)) {
                try {
                    return Optional.of(Double.parseDouble(line.substring(colon + 1).strip()));
                } catch (NumberFormatException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    /** GFLOP/s of one core, or null when the FLOP per cycle or the clock is not known. */
    public Double gflopsPerCore() {
        return flopPerCycle == null || clockMhz == null ? null : flopPerCycle * clockMhz / 1000;
    }

    /** A rate of {@code gflops} on {@code cores} cores as a fraction of their peak, or null when the peak is not known. */
    public Double fraction(double gflops, int cores) {
        Double perCore = gflopsPerCore();
        return perCore == null ? null : gflops / (perCore * cores);
    }

    /** One line for the printed header: {@code 78.3 GFLOP/s per core = 32 FLOP/cycle × 2445 MHz (BASIS; clock: SOURCE)}. */
    public String describe() {
        Double perCore = gflopsPerCore();
        return (perCore == null ? "not known" : String.format(Locale.ROOT, "%.1f GFLOP/s per core", perCore)) + " = "
                + (flopPerCycle == null ? "?" : flopPerCycle) + " FLOP/cycle x "
                + (clockMhz == null ? "?" : String.format(Locale.ROOT, "%.0f", clockMhz)) + " MHz (" + flopBasis
                + "; clock: " + clockSource + ")";
    }

    /** The {@code peak} field of a results file. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("flop_per_cycle", flopPerCycle);
        m.put("flop_basis", flopBasis);
        m.put("clock_mhz", clockMhz);
        m.put("clock_source", clockSource);
        m.put("gflops_per_core", gflopsPerCore());
        return m;
    }
}
