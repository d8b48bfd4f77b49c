package io.readout.common;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MachineCpuTest {
    /** This workplace's machine (KVM guest, 2 vCPUs): AVX2, no AVX-512. Two processor blocks, trimmed. */
    private static final String AMD_EPYC = """
            processor\t: 0
            vendor_id\t: AuthenticAMD
            cpu family\t: 25
            model\t\t: 1
            model name\t: AMD EPYC
            stepping\t: 1
            cpu MHz\t\t: 2445.404
            siblings\t: 2
            cpu cores\t: 2
            flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush mmx fxsr sse sse2 ht \
            syscall nx mmxext fxsr_opt pdpe1gb rdtscp lm constant_tsc rep_good nopl xtopology nonstop_tsc cpuid pni \
            pclmulqdq ssse3 fma cx16 pcid sse4_1 sse4_2 x2apic movbe popcnt aes xsave avx f16c rdrand hypervisor lahf_lm \
            bmi1 avx2 smep bmi2 erms invpcid rdseed adx smap clflushopt clwb sha_ni xsaveopt xsavec xgetbv1 xsaves \
            vaes vpclmulqdq rdpid fsrm
            bugs\t\t: sysret_ss_attrs spectre_v1 spectre_v2 spec_store_bypass srso
            bogomips\t: 4890.80
            power management:

            processor\t: 1
            vendor_id\t: AuthenticAMD
            model name\t: AMD EPYC
            flags\t\t: fpu vme de pse tsc avx avx2
            power management:
            """;

    /** A Sapphire Rapids Xeon: AVX-512 with VNNI and BF16, and AMX. */
    private static final String INTEL_XEON = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            cpu family\t: 6
            model\t\t: 143
            model name\t: Intel(R) Xeon(R) Platinum 8480+
            stepping\t: 8
            flags\t\t: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr \
            sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc pni pclmulqdq ssse3 fma cx16 sse4_1 sse4_2 \
            x2apic movbe popcnt aes xsave avx f16c rdrand lahf_lm abm 3dnowprefetch fsgsbase bmi1 hle avx2 smep bmi2 erms \
            invpcid rtm avx512f avx512dq rdseed adx smap avx512ifma clflushopt clwb avx512cd sha_ni avx512bw avx512vl \
            xsaveopt xsavec xgetbv1 xsaves avx_vnni avx512_bf16 wbnoinvd avx512vbmi umip pku ospke waitpkg avx512_vbmi2 \
            gfni vaes vpclmulqdq avx512_vnni avx512_bitalg tme avx512_vpopcntdq la57 rdpid cldemote movdiri movdir64b \
            serialize tsxldtrk amx_bf16 avx512_fp16 amx_tile amx_int8 flush_l1d arch_capabilities
            bogomips\t: 4000.00

            processor\t: 1
            model name\t: Intel(R) Xeon(R) Platinum 8480+
            """;

    /** An ARM server: no "model name", "Features" instead of "flags". */
    private static final String ARM_CPUINFO = """
            processor\t: 0
            BogoMIPS\t: 50.00
            Features\t: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp
            CPU implementer\t: 0x41
            CPU part\t: 0xd0c
            """;

    private static final String ARM_LSCPU = """
            Architecture:                    aarch64
            CPU(s):                          4
            Vendor ID:                       ARM
            Model name:                      Neoverse-N1
            Flags:                           fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid
            """;

    @Test
    void readsTheAmdEpycModelAndItsAvx2() {
        MachineCpu cpu = MachineCpu.fromCpuinfo(AMD_EPYC, 2).orElseThrow();
        assertEquals(new MachineCpu("AMD EPYC", 2, List.of("avx2"), MachineCpu.PROC_CPUINFO), cpu);
        assertEquals("AMD EPYC, 2 cores, avx2", cpu.describe());
        assertTrue(cpu.live());
    }

    @Test
    void readsTheXeonsAvx512AndAmxFlagsInOneDnnOrder() {
        MachineCpu cpu = MachineCpu.fromCpuinfo(INTEL_XEON, 112).orElseThrow();
        assertEquals("Intel(R) Xeon(R) Platinum 8480+", cpu.model());
        assertEquals(List.of("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile"), cpu.isa());
        assertEquals(112, cpu.cores());
    }

    @Test
    void flagsAreMatchedWholeNotAsPrefixes() {
        // avx512_fp16 and avx512bw are not avx512f; amx_bf16 is not amx_tile.
        String cpuinfo = "model name\t: X\nflags\t\t: sse avx512_fp16 avx512bw amx_bf16 avx_vnni\n";
        assertEquals(List.of(), MachineCpu.fromCpuinfo(cpuinfo, 1).orElseThrow().isa());
        assertEquals("X, 1 core, none of avx2 avx512f avx512_vnni avx512_bf16 amx_tile",
                MachineCpu.fromCpuinfo(cpuinfo, 1).orElseThrow().describe());
    }

    @Test
    void aModelWithoutFlagsHasUnknownIsaNotAnEmptyOne() {
        MachineCpu cpu = MachineCpu.fromCpuinfo("processor\t: 0\nmodel name\t: Some CPU\n", 4).orElseThrow();
        assertNull(cpu.isa());
        assertEquals("Some CPU, 4 cores, ISA flags not recorded", cpu.describe());
    }

    @Test
    void withoutAModelNameLscpuThenTheArchitectureDescribeIt() {
        assertEquals(Optional.empty(), MachineCpu.fromCpuinfo(ARM_CPUINFO, 4));
        MachineCpu arm = MachineCpu.fromLscpu(ARM_LSCPU, 4).orElseThrow();
        assertEquals(new MachineCpu("Neoverse-N1", 4, List.of(), MachineCpu.LSCPU), arm);
        assertEquals(Optional.empty(), MachineCpu.fromLscpu("Architecture: aarch64\nModel name: -\n", 4));

        MachineCpu arch = MachineCpu.fromArch("aarch64", 4);
        assertEquals("unknown aarch64 CPU (no model name in /proc/cpuinfo or lscpu)", arch.model());
        assertNull(arch.isa());
        assertEquals(MachineCpu.OS_ARCH, arch.source());
    }

    @Test
    void thisMachineIsDescribedFromProcCpuinfoWhenItNamesAModel() throws Exception {
        MachineCpu cpu = MachineCpu.current();
        assertEquals(Runtime.getRuntime().availableProcessors(), cpu.cores());
        assertFalse(cpu.model().isBlank());
        Path proc = Path.of("/proc/cpuinfo");
        if (Files.isReadable(proc) && Files.readString(proc).contains("model name")) {
            assertEquals(MachineCpu.PROC_CPUINFO, cpu.source());
            assertEquals(MachineCpu.fromCpuinfo(Files.readString(proc), cpu.cores()).orElseThrow()
                    .withOnednnMaxIsa(System.getenv(MachineCpu.ONEDNN_MAX_ISA_VARIABLE)), cpu);
        }
    }

    @Test
    void theJsonFieldRoundTripsAndRejectsOtherShapes() {
        MachineCpu cpu = new MachineCpu("AMD EPYC", 2, List.of("avx2", "avx512f"), "added after the run");
        Map<String, Object> json = Json.readObject(Json.write(cpu.toJson()), "cpu");
        assertEquals(List.of("model", "cores", "isa", "source"), List.copyOf(json.keySet()));
        assertEquals(cpu, MachineCpu.fromJson(json, "f.json"));
        assertFalse(cpu.live());

        MachineCpu unknown = new MachineCpu("unknown (recorded before the cpu field)", null, null, "nothing recorded");
        assertEquals(unknown, MachineCpu.fromJson(Json.readObject(Json.write(unknown.toJson()), "cpu"), "f.json"));
        assertEquals("unknown (recorded before the cpu field), cores not recorded, ISA flags not recorded",
                unknown.describe());

        assertEquals("f.json: no cpu object (model, cores, isa, source)",
                assertThrows(BadInputException.class, () -> MachineCpu.fromJson(null, "f.json")).getMessage());
        assertEquals("f.json: no cpu object (model, cores, isa, source)",
                assertThrows(BadInputException.class, () -> MachineCpu.fromJson("AMD EPYC", "f.json")).getMessage());
        assertEquals("f.json: cpu.cores must be a positive integer or null, got two",
                assertThrows(BadInputException.class, () -> MachineCpu.fromJson(
                        Map.of("model", "m", "cores", "two", "source", "s"), "f.json")).getMessage());
        assertEquals("f.json: cpu.isa must be a list of flag names or null, got avx2",
                assertThrows(BadInputException.class, () -> MachineCpu.fromJson(
                        Map.of("model", "m", "cores", 2, "isa", "avx2", "source", "s"), "f.json")).getMessage());
        assertEquals("f.json: cpu.source must say where the description came from",
                assertThrows(BadInputException.class, () -> MachineCpu.fromJson(
                        Map.of("model", "m", "cores", 2), "f.json")).getMessage());
        assertEquals("f.json: cpu.model must be a non-empty string",
                assertThrows(BadInputException.class, () -> MachineCpu.fromJson(
                        Map.of("cores", 2, "source", "s"), "f.json")).getMessage());
    }

    @Test
    void aOneDnnCapIsRecordedOnlyWhenSet() {
        MachineCpu cpu = new MachineCpu("Intel(R) Xeon(R) Processor", 2, List.of("avx2", "avx512f"), MachineCpu.LSCPU);
        assertNull(cpu.onednnMaxIsa());
        assertEquals(cpu, cpu.withOnednnMaxIsa(null));
        assertEquals(cpu, cpu.withOnednnMaxIsa(" "));
        assertEquals(cpu, cpu.withOnednnMaxIsa("all")); // oneDNN's default: no cap

        MachineCpu capped = cpu.withOnednnMaxIsa(" AVX2 ");
        assertEquals("AVX2", capped.onednnMaxIsa());
        assertNotEquals(cpu, capped);
        assertEquals("Intel(R) Xeon(R) Processor, 2 cores, avx2 avx512f; oneDNN capped at AVX2 (DNNL_MAX_CPU_ISA)",
                capped.describe());
        assertTrue(capped.live());
        Map<String, Object> json = Json.readObject(Json.write(capped.toJson()), "cpu");
        assertEquals(List.of("model", "cores", "isa", "source", "onednn_max_isa"), List.copyOf(json.keySet()));
        assertEquals(capped, MachineCpu.fromJson(json, "f.json"));

        // Results files that hold the record itself (aggregate, sweep) write it as toJson() does.
        assertEquals(json, Json.readObject(Json.write(capped), "cpu"));
        assertEquals(Json.readObject(Json.write(cpu.toJson()), "cpu"), Json.readObject(Json.write(cpu), "cpu"));

        assertEquals("f.json: cpu.onednn_max_isa must be a non-empty string when present, got 2",
                assertThrows(BadInputException.class, () -> MachineCpu.fromJson(
                        Map.of("model", "m", "cores", 2, "source", "s", "onednn_max_isa", 2), "f.json")).getMessage());
    }

    @Test
    void thisProcessRecordsTheCapItRunsWith() {
        assertEquals(MachineCpu.onednnCap(System.getenv(MachineCpu.ONEDNN_MAX_ISA_VARIABLE)),
                MachineCpu.current().onednnMaxIsa());
    }
}
