package io.readout.jobs.bench;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.readout.common.ChildProcess;
import io.readout.common.MachineCpu;
import io.readout.common.nets.Architecture;
import io.readout.common.nets.NativeKernels;
import io.readout.common.nets.NetworkConfig;
import io.readout.common.nets.Networks;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which instruction set oneDNN (inside libnd4j) dispatched its kernels to, and which kernels ran: oneDNN
 * chooses at run time, by CPU, so the CPU's flags alone do not say it. oneDNN prints it only when its verbose
 * log is on from the start ({@code DNNL_VERBOSE=1}, {@code ONEDNN_VERBOSE=1} from v3), which a running JVM
 * cannot switch on; {@link #probe} therefore starts a second JVM on this one's classpath with that
 * environment, where {@link #main} fits one minibatch of each benchmark network, and reads its log
 * ({@link #parse}): the {@code info,cpu,isa:} line, the version and runtime lines, and the kernels of the
 * {@code exec} lines ({@code convolution jit:avx2 backward_weights}). When the probe finds no such line
 * (another build, no oneDNN kernels engaged, the probe failed) the ISA is inferred from the CPU's flags
 * ({@link MachineCpu#isa}) and {@link #source} says so and why.
 *
 * @param isa             the ISA oneDNN reported ({@code Intel AVX2}), or the inferred one
 * @param source          {@value #PROBED}, or "inferred from cpu.isa: WHY"
 * @param version         oneDNN's version line ({@code oneDNN v2.3.0 (commit …)}), or null
 * @param runtime         its CPU runtime ({@code OpenMP}), or null
 * @param implementations the distinct primitive, kernel and propagation of every {@code exec} line but reorders,
 *                        in order of first appearance
 */
@JsonPropertyOrder({"isa", "source", "version", "runtime", "implementations"})
public record OneDnnDispatch(String isa, String source, String version, String runtime, List<String> implementations) {
    private static final Logger LOG = LoggerFactory.getLogger(OneDnnDispatch.class);
    public static final String PROBED = "DNNL_VERBOSE log of a probe JVM";
    private static final Pattern INFO = Pattern.compile("^(?:dnnl|onednn)_verbose,(?:[^,]*,)*?info,(.*)$");
    private static final Pattern RUNTIME = Pattern.compile("runtime:([^,]+)");
    private static final Duration PROBE_TIMEOUT = Duration.ofMinutes(3);
    /** JVM flags the probe inherits: module openings, system properties, the heap's size. */
    private static final List<String> INHERITED_FLAGS =
            List.of("--add-opens", "--add-exports", "--add-modules", "-D", "-Xmx");

    public OneDnnDispatch {
        implementations = List.copyOf(implementations);
    }

    /**
     * Reads a oneDNN verbose log (v2 {@code dnnl_verbose,info,cpu,isa:Intel AVX2}; v3
     * {@code onednn_verbose,...,info,cpu,isa:...}; other lines are ignored).
     *
     * @return empty when the log has no {@code isa:} line
     */
    public static Optional<OneDnnDispatch> parse(List<String> log) {
        String isa = null;
        String version = null;
        String runtime = null;
        Set<String> kernels = new LinkedHashSet<>();
        for (String raw : log) {
            String line = raw.strip();
            Matcher info = INFO.matcher(line);
            if (info.matches()) {
                String rest = info.group(1);
                if (rest.startsWith("cpu,")) {
                    int at = rest.indexOf("isa:");
                    if (at >= 0 && isa == null) {
                        isa = rest.substring(at + "isa:".length()).strip(); // may hold commas: "AVX-512 with AVX512BW, ..."
                    }
                    Matcher r = RUNTIME.matcher(rest);
                    if (r.find() && runtime == null) {
                        runtime = r.group(1).strip();
                    }
                } else if (rest.startsWith("oneDNN ") && version == null) {
                    version = rest.strip();
                }
                continue;
            }
            List<String> fields = Arrays.asList(line.split(","));
            int exec = fields.indexOf("exec");
            if ((line.startsWith("dnnl_verbose,") || line.startsWith("onednn_verbose,")) && exec > 0
                    && fields.size() > exec + 4 && fields.get(exec + 1).equals("cpu")
                    && !fields.get(exec + 2).equals("reorder")) {
                kernels.add(fields.get(exec + 2) + " " + fields.get(exec + 3) + " " + fields.get(exec + 4));
            }
        }
        return isa == null ? Optional.empty()
                : Optional.of(new OneDnnDispatch(isa, PROBED, version, runtime, new ArrayList<>(kernels)));
    }

    /** The highest of the CPU's oneDNN ISA flags (and the process's cap, if any), with the reason there is no probed one. */
    public static OneDnnDispatch inferred(MachineCpu cpu, String why) {
        String isa = cpu.isa() == null ? "not known (no ISA flags)"
                : cpu.isa().isEmpty() ? "below avx2" : cpu.isa().get(cpu.isa().size() - 1);
        if (cpu.onednnMaxIsa() != null) {
            isa += ", " + cpu.onednnCapNote();
        }
        return new OneDnnDispatch(isa, "inferred from cpu.isa: " + why, null, null, List.of());
    }

    /**
     * Runs the probe JVM for these networks (the benchmark's input and classes) and reads its log; never fails:
     * whatever goes wrong gives {@link #inferred}.
     */
    public static OneDnnDispatch probe(List<NetworkConfig> nets, int batch, MachineCpu cpu) {
        if (!NativeKernels.oneDnnEnabled()) {
            return inferred(cpu, "no oneDNN kernels in this JVM (kernels " + NativeKernels.describe() + ")");
        }
        NetworkConfig first = nets.get(0);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (INHERITED_FLAGS.stream().anyMatch(flag::startsWith)) {
                command.add(flag);
            }
        }
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), OneDnnDispatch.class.getName(),
                String.join(",", nets.stream().map(n -> n.arch().id()).toList()), String.valueOf(first.channels()),
                String.valueOf(first.height()), String.valueOf(first.width()), String.valueOf(first.numClasses()),
                String.valueOf(batch)));
        try {
            ChildProcess.Output out = ChildProcess.run(command, Map.of("DNNL_VERBOSE", "1", "ONEDNN_VERBOSE", "1",
                    "OMP_NUM_THREADS", "1"), PROBE_TIMEOUT);
            Optional<OneDnnDispatch> parsed = parse((out.stdout() + "\n" + out.stderr()).lines().toList());
            if (parsed.isPresent()) {
                return parsed.get();
            }
            String why = out.succeeded() ? "the probe's log has no isa line"
                    : "the probe failed (" + (out.timedOut() ? "no end in " + PROBE_TIMEOUT.toSeconds() + " s"
                    : "exit " + out.exitCode() + ": " + out.lastErrorLine()) + ")";
            LOG.warn("oneDNN's ISA {}: recording the CPU's flags instead", why);
            return inferred(cpu, why);
        } catch (IOException e) {
            return inferred(cpu, "the probe did not start (" + e.getMessage() + ")");
        }
    }

    /**
     * The probe JVM: fits one random minibatch of each network with oneDNN's verbose log on.
     * Arguments: {@code ARCH[,ARCH] CHANNELS HEIGHT WIDTH CLASSES BATCH}.
     */
    public static void main(String[] args) {
        int channels = Integer.parseInt(args[1]);
        int height = Integer.parseInt(args[2]);
        int width = Integer.parseInt(args[3]);
        int classes = Integer.parseInt(args[4]);
        int batch = Integer.parseInt(args[5]);
        for (String id : args[0].split(",")) {
            ComputationGraph net = Networks.build(NetworkConfig.image(Architecture.parse(id), channels, height, width,
                    classes, "adam", 1e-3, 0, 0));
            INDArray features = Nd4j.rand(DataType.FLOAT, batch, channels, height, width);
            INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, classes);
            labels.getColumn(0).assign(1);
            net.fit(new DataSet(features, labels));
        }
    }
}
