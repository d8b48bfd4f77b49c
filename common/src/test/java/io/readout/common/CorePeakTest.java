package io.readout.common;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The peak of a core from its ISA and clock, on CPU descriptions and /proc/cpuinfo and lscpu texts written by hand. */
class CorePeakTest {
    private static final double TOLERANCE = 1e-9;
    private static final MachineCpu EPYC_AVX2 = new MachineCpu("AMD EPYC", 2, List.of("avx2"), MachineCpu.PROC_CPUINFO);
    private static final MachineCpu EPYC_AVX512 = new MachineCpu("AMD EPYC 9454", 2, List.of("avx2", "avx512f"),
            MachineCpu.PROC_CPUINFO);
    private static final MachineCpu XEON = new MachineCpu("Intel(R) Xeon(R) Platinum 8480+", 112,
            List.of("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile"), MachineCpu.PROC_CPUINFO);
    private static final String CPUINFO = "processor\t: 0\nmodel name\t: AMD EPYC\ncpu MHz\t\t: 2445.404\n\n"
            + "processor\t: 1\ncpu MHz\t\t: 1800.000\n";
    private static final String LSCPU_WITH_MAX = "Model name:            AMD EPYC 7B13\nCPU max MHz:           3500.0000\n"
            + "CPU min MHz:           1500.0000\n";
    private static final String LSCPU_VM = "Model name:                              AMD EPYC\nBogoMIPS:     4890.80\n";

    @Test
    void flopPerCycleFollowsTheWidestVectorIsa() {
        assertEquals(32, CorePeak.isaFlopPerCycle(EPYC_AVX2).orElseThrow(), "8 lanes x 2 x 2 FMA units");
        assertEquals(64, CorePeak.isaFlopPerCycle(XEON).orElseThrow(), "16 lanes x 2 x 2 FMA units");
        assertEquals(32, CorePeak.isaFlopPerCycle(EPYC_AVX512).orElseThrow(), "Zen 4: 512-bit FMAs at half rate");
        assertEquals(java.util.Optional.empty(), CorePeak.isaFlopPerCycle(
                new MachineCpu("Old CPU", 4, List.of(), MachineCpu.PROC_CPUINFO)));
        assertEquals(java.util.Optional.empty(), CorePeak.isaFlopPerCycle(MachineCpu.fromArch("aarch64", 4)));
    }

    @Test
    void theClockIsLscpusMaximumElseTheFirstProcessorsMhz() {
        CorePeak max = CorePeak.of(EPYC_AVX2, CPUINFO, LSCPU_WITH_MAX, null, null);
        assertEquals(3500.0, max.clockMhz(), TOLERANCE);
        assertEquals(CorePeak.LSCPU_MAX, max.clockSource());
        assertEquals(112.0, max.gflopsPerCore(), TOLERANCE);

        CorePeak vm = CorePeak.of(EPYC_AVX2, CPUINFO, LSCPU_VM, null, null);
        assertEquals(2445.404, vm.clockMhz(), TOLERANCE);
        assertEquals(CorePeak.CPUINFO_MHZ, vm.clockSource());
        assertEquals(32 * 2.445404, vm.gflopsPerCore(), TOLERANCE);
        assertEquals("78.3 GFLOP/s per core = 32 FLOP/cycle x 2445 MHz (avx2: 8 FP32 lanes x 2 FLOP per FMA x 2 FMA "
                + "units, assumed; clock: " + CorePeak.CPUINFO_MHZ + ")", vm.describe());
    }

    @Test
    void theFlagsReplaceWhatTheMachineSays() {
        CorePeak given = CorePeak.of(XEON, CPUINFO, LSCPU_WITH_MAX, 16, 2000.0);
        assertEquals(16, given.flopPerCycle());
        assertEquals("--flop-per-cycle 16", given.flopBasis());
        assertEquals("--clock-mhz", given.clockSource());
        assertEquals(32.0, given.gflopsPerCore(), TOLERANCE);
    }

    @Test
    void aFractionIsOfThePeakOfTheCoresInUse() {
        CorePeak peak = new CorePeak(32, "b", 2500.0, "s");
        assertEquals(80.0, peak.gflopsPerCore(), TOLERANCE);
        assertEquals(0.25, peak.fraction(20, 1), TOLERANCE);
        assertEquals(0.125, peak.fraction(20, 2), TOLERANCE);
    }

    @Test
    void anUnknownPartLeavesThePeakUnknown() {
        CorePeak noClock = CorePeak.of(EPYC_AVX2, "model name\t: AMD EPYC\n", "", null, null);
        assertNull(noClock.clockMhz());
        assertNull(noClock.gflopsPerCore());
        assertNull(noClock.fraction(10, 1));
        assertEquals("no clock in /proc/cpuinfo or lscpu; give --clock-mhz", noClock.clockSource());
        CorePeak noIsa = CorePeak.of(MachineCpu.fromArch("aarch64", 4), CPUINFO, "", null, null);
        assertNull(noIsa.flopPerCycle());
        assertNull(noIsa.gflopsPerCore());
        assertEquals("the CPU's ISA flags are not known; give --flop-per-cycle", noIsa.flopBasis());
    }

    @Test
    void theJsonFieldHoldsTheEstimateAndItsSources() {
        Map<String, Object> json = new CorePeak(32, "b", 2500.0, "s").toJson();
        assertEquals(List.of("flop_per_cycle", "flop_basis", "clock_mhz", "clock_source", "gflops_per_core"),
                List.copyOf(json.keySet()));
        assertEquals(80.0, (Double) json.get("gflops_per_core"), TOLERANCE);
    }
}
