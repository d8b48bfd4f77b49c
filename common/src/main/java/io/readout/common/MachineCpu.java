package io.readout.common;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The CPU a figure was measured on, as every benchmark results file records it (its {@code cpu}
 * field): a speed or quality claim says which CPU it came from.
 *
 * <p>Read from {@code /proc/cpuinfo} ("model name" and "flags" of the first processor), else from
 * {@code lscpu} ("Model name", "Flags"), else only {@code os.arch} is known. {@code cores} is the
 * number of logical cores this JVM may use ({@link Runtime#availableProcessors()}, what Spark's
 * {@code local[*]} and the single-process runs get). {@code isa} lists which of the instruction-set
 * flags oneDNN chooses its kernels by ({@link #ONEDNN_ISA}) the CPU has; {@code null} when no flags
 * were readable, so "none of them" and "not known" stay apart. {@code source} says where the
 * description came from: {@value #PROC_CPUINFO}, {@value #LSCPU}, {@value #OS_ARCH}, or, for a
 * file recorded before this field existed, how the description was established afterwards.
 *
 * <p>{@code onednnMaxIsa} is the process's {@value #ONEDNN_MAX_ISA_VARIABLE} when set to a cap (oneDNN then
 * dispatches kernels of at most that ISA, whatever the CPU has: other speed, other bits), else null. It is
 * written to a file only when set, so files recorded without a cap read back unchanged.
 */
public record MachineCpu(String model, Integer cores, List<String> isa, String source,
                         @JsonProperty("onednn_max_isa") @JsonInclude(JsonInclude.Include.NON_NULL) String onednnMaxIsa) {
    /** x86 flags as /proc/cpuinfo names them, in the order oneDNN's ISA levels build on each other. */
    public static final List<String> ONEDNN_ISA = List.of("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile");
    public static final String PROC_CPUINFO = "/proc/cpuinfo";
    public static final String LSCPU = "lscpu";
    public static final String OS_ARCH = "os.arch";
    /** The sources a live description comes from; any other source marks a description added after the run. */
    public static final Set<String> LIVE_SOURCES = Set.of(PROC_CPUINFO, LSCPU, OS_ARCH);
    /** oneDNN's environment variable that caps the ISA it dispatches to, read once per process by oneDNN. */
    public static final String ONEDNN_MAX_ISA_VARIABLE = "DNNL_MAX_CPU_ISA";

    private static volatile MachineCpu current;

    public MachineCpu {
        isa = isa == null ? null : List.copyOf(isa);
        onednnMaxIsa = onednnCap(onednnMaxIsa);
    }

    /** A CPU as read, with no oneDNN cap. */
    public MachineCpu(String model, Integer cores, List<String> isa, String source) {
        this(model, cores, isa, source, null);
    }

    /** The same CPU with oneDNN capped at {@code maxIsa} (null, blank or {@code ALL}: no cap). */
    public MachineCpu withOnednnMaxIsa(String maxIsa) {
        return new MachineCpu(model, cores, isa, source, maxIsa);
    }

    /** A {@value #ONEDNN_MAX_ISA_VARIABLE} value as a cap: null when unset, blank or {@code ALL} (oneDNN's default). */
    static String onednnCap(String value) {
        if (value == null || value.isBlank() || value.strip().equalsIgnoreCase("ALL")) {
            return null;
        }
        return value.strip();
    }

    /** This machine, read once per JVM. */
    public static MachineCpu current() {
        MachineCpu cpu = current;
        if (cpu == null) {
            cpu = describe(Runtime.getRuntime().availableProcessors(), System.getProperty("os.arch", "unknown"))
                    .withOnednnMaxIsa(System.getenv(ONEDNN_MAX_ISA_VARIABLE));
            current = cpu;
        }
        return cpu;
    }

    private static MachineCpu describe(int cores, String arch) {
        Optional<MachineCpu> fromProc = readCpuinfo().flatMap(text -> fromCpuinfo(text, cores));
        if (fromProc.isPresent()) {
            return fromProc.get();
        }
        return runLscpu().flatMap(text -> fromLscpu(text, cores)).orElseGet(() -> fromArch(arch, cores));
    }

    /** The first processor's model name and flags of a /proc/cpuinfo text; empty when it names no model. */
    public static Optional<MachineCpu> fromCpuinfo(String cpuinfo, int cores) {
        String model = null;
        String flags = null;
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                if (line.isBlank() && model != null) {
                    break; // the end of the first processor's block
                }
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (key.equals("model name") && model == null) {
                model = value;
            } else if (key.equals("flags") && flags == null) {
                flags = value;
            }
        }
        if (model == null || model.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new MachineCpu(model, cores, flags == null ? null : isaOf(flags), PROC_CPUINFO));
    }

    /** The model name and flags of an {@code lscpu} text (C locale); empty when it names no model. */
    public static Optional<MachineCpu> fromLscpu(String lscpu, int cores) {
        String model = null;
        String flags = null;
        for (String line : lscpu.split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String key = line.substring(0, colon).strip();
            String value = line.substring(colon + 1).strip();
            if (key.equals("Model name") && model == null) {
                model = value;
            } else if (key.equals("Flags") && flags == null) {
                flags = value;
            }
        }
        if (model == null || model.isEmpty() || model.equals("-")) {
            return Optional.empty();
        }
        return Optional.of(new MachineCpu(model, cores, flags == null ? null : isaOf(flags), LSCPU));
    }

    /** All that is known without /proc/cpuinfo or lscpu: the JVM's architecture; flags unknown. */
    public static MachineCpu fromArch(String arch, int cores) {
        return new MachineCpu("unknown " + arch + " CPU (no model name in " + PROC_CPUINFO + " or " + LSCPU + ")",
                cores, null, OS_ARCH);
    }

    /** Which of {@link #ONEDNN_ISA} a space-separated flags list holds, in that order. */
    static List<String> isaOf(String flags) {
        Set<String> present = Arrays.stream(flags.strip().split("\\s+")).collect(Collectors.toSet());
        return ONEDNN_ISA.stream().filter(present::contains).toList();
    }

    /** True when the description was read on the machine itself, not added to a file afterwards. */
    public boolean live() {
        return LIVE_SOURCES.contains(source);
    }

    /**
     * One line for tables and logs: {@code AMD EPYC, 2 cores, avx2 avx512f}, and with a cap
     * {@code ..., avx2 avx512f; oneDNN capped at AVX2 (DNNL_MAX_CPU_ISA)}.
     */
    public String describe() {
        String flags = isa == null ? "ISA flags not recorded"
                : isa.isEmpty() ? "none of " + String.join(" ", ONEDNN_ISA) : String.join(" ", isa);
        return model + ", " + (cores == null ? "cores not recorded" : cores + (cores == 1 ? " core" : " cores"))
                + ", " + flags
                + (onednnMaxIsa == null ? "" : "; oneDNN " + onednnCapNote());
    }

    /** {@code capped at AVX2 (DNNL_MAX_CPU_ISA)}; null when oneDNN is not capped. */
    public String onednnCapNote() {
        return onednnMaxIsa == null ? null : "capped at " + onednnMaxIsa + " (" + ONEDNN_MAX_ISA_VARIABLE + ")";
    }

    /** The {@code cpu} field of a results file. */
    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", model);
        m.put("cores", cores);
        m.put("isa", isa);
        m.put("source", source);
        if (onednnMaxIsa != null) {
            m.put("onednn_max_isa", onednnMaxIsa);
        }
        return m;
    }

    /**
     * Reads a results file's {@code cpu} field; {@code where} names the file in the one-line error.
     *
     * @throws BadInputException when the field is missing or not of this shape
     */
    public static MachineCpu fromJson(Object json, String where) {
        if (!(json instanceof Map<?, ?> m)) {
            throw new BadInputException(where + ": no cpu object (model, cores, isa, source)");
        }
        Object model = m.get("model");
        Object cores = m.get("cores");
        Object isa = m.get("isa");
        Object source = m.get("source");
        Object cap = m.get("onednn_max_isa");
        if (!(model instanceof String s) || s.isBlank()) {
            throw new BadInputException(where + ": cpu.model must be a non-empty string");
        }
        if (cores != null && !(cores instanceof Integer c && c > 0)) {
            throw new BadInputException(where + ": cpu.cores must be a positive integer or null, got " + cores);
        }
        List<String> flags = null;
        if (isa != null) {
            if (!(isa instanceof List<?> list) || !list.stream().allMatch(f -> f instanceof String)) {
                throw new BadInputException(where + ": cpu.isa must be a list of flag names or null, got " + isa);
            }
            flags = list.stream().map(String.class::cast).toList();
        }
        if (!(source instanceof String src) || src.isBlank()) {
            throw new BadInputException(where + ": cpu.source must say where the description came from");
        }
        if (cap != null && !(cap instanceof String c && !c.isBlank())) {
            throw new BadInputException(where + ": cpu.onednn_max_isa must be a non-empty string when present, got " + cap);
        }
        return new MachineCpu(s, (Integer) cores, flags, src, (String) cap);
    }

    /** The text of /proc/cpuinfo, when readable. */
    static Optional<String> readCpuinfo() {
        return read(Path.of(PROC_CPUINFO));
    }

    private static Optional<String> read(Path file) {
        try {
            return Files.isReadable(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8)) : Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** What {@code lscpu} prints in the C locale, when it runs. */
    static Optional<String> runLscpu() {
        try {
            ChildProcess.Output out = ChildProcess.run(List.of(LSCPU), Map.of("LC_ALL", "C"), Duration.ofSeconds(10));
            return out.succeeded() ? Optional.of(out.stdout()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
