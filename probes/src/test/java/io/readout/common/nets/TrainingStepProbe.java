package io.readout.common.nets;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times one training step (fit of one minibatch of 64, or {@code -Dreadout.probe.batch}, Adam) of the student or
 * teacher on 1 native thread, for
 * several kernel variants of the same network side by side in one JVM: per round, each variant fits the same
 * minibatches in turn, so a slow spell of a shared machine hits every variant alike (docs/bench/issue17-profile.md).
 * Variants: {@code default} (what Networks.build gives), {@code onednn-pooling} (built with
 * -Dreadout.onednn.pooling=true: max pooling left on oneDNN, the default before issue 17), {@code dl4j-conv} (built
 * with -Dreadout.dl4j.conv=true: DL4J's own convolution layer, which runs the forward convolution again in its
 * backward pass), {@code relu-in-conv} (the default's convolutions, but each applies its own ReLU instead of leaving
 * it to the max pooling after it), {@code pool-builtin}
 * (DL4J's pooling helper removed), {@code conv1-builtin} (conv1 on DL4J's im2col kernel), {@code builtin} (no helpers),
 * {@code cache-device} (CacheMode.DEVICE: the convolutions keep their forward output for the backward pass).
 * Run: {@code mvn -o -q -Pprobes -pl probes -am test -Dtest=TrainingStepProbe -Dsurefire.failIfNoSpecifiedTests=false
 * -Dreadout.probe.nets=student -Dreadout.probe.variants=default,pool-builtin -Dreadout.probe.repeats=5}, or its
 * {@link #main} with the same properties on the test class path (no surefire fork: environment variables such as
 * DNNL_VERBOSE reach the JVM as given).
 */
class TrainingStepProbe {
    /** The minibatch size: 64, as every benchmark's single process; 32 is a Spark worker's share of it. */
    private static final int BATCH = Integer.getInteger("readout.probe.batch", 64);

    @Test
    void probe() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("readout.probe"), "speed probe: run with -Dreadout.probe=true");
        main(new String[0]);
    }

    public static void main(String[] args) throws Exception {
        int repeats = Integer.getInteger("readout.probe.repeats", 5);
        int threads = Integer.getInteger("readout.probe.threads", 1);
        String nets = System.getProperty("readout.probe.nets", "student,teacher");
        List<String> variants = Arrays.asList(System.getProperty("readout.probe.variants", "default,pool-builtin").split(","));
        System.out.println(ProbeLines.cpu());
        System.out.println("PROBE kernels: " + NativeKernels.describe());
        NativeKernels.limitThreads(threads);
        for (String n : nets.split(",")) {
            Architecture arch = Architecture.valueOf(n.toUpperCase());
            int timed = Integer.getInteger("readout.probe.batches", arch == Architecture.TEACHER ? 20 : 60);
            // 8 distinct minibatches by default (the earlier sessions' figures); the net memorizes them, its
            // gradients vanish and Adam's moments go denormal (~2 ms a step on x86): -Dreadout.probe.distinct=200
            // keeps the gradients of real training for measuring a step's fixed costs.
            List<DataSet> batches = batches(1, Integer.getInteger("readout.probe.distinct", 8), BATCH);
            Map<String, ComputationGraph> graphs = new LinkedHashMap<>();
            for (String v : variants) {
                String property = switch (v) {
                    case "onednn-pooling" -> NativeKernels.POOLING_PROPERTY;
                    case "dl4j-conv" -> NativeKernels.DL4J_CONV_PROPERTY;
                    default -> null;
                };
                String before = property == null ? null : System.getProperty(property);
                if (property != null) {
                    System.setProperty(property, "true");
                }
                ComputationGraph net = Networks.build(NetworkConfig.image(arch, 1, 56, 28, 2, "adam", 1e-3, 0, 0));
                if (property != null && before == null) {
                    System.clearProperty(property);
                } else if (property != null) {
                    System.setProperty(property, before);
                }
                apply(v, net);
                fitAs(v, net, batches, 10); // warm-up
                graphs.put(v, net);
            }
            Map<String, double[]> rates = new LinkedHashMap<>();
            for (String v : variants) {
                rates.put(v, new double[repeats]);
            }
            for (int r = 0; r < repeats; r++) {
                for (String v : variants) {
                    long t0 = System.nanoTime();
                    fitAs(v, graphs.get(v), batches, timed);
                    double s = (System.nanoTime() - t0) / 1e9;
                    rates.get(v)[r] = timed * BATCH / s;
                }
            }
            double base = median(rates.get(variants.get(0)));
            for (String v : variants) {
                double m = median(rates.get(v));
                System.out.printf("PROBE %s variant=%s threads=%d median=%.0f ex/s (%.2f ms/step) vs %s %.3f runs=%s helpers=%s score=%.6f%n",
                        n, v, threads, m, BATCH * 1000.0 / m, variants.get(0), m / base,
                        Arrays.toString(Arrays.stream(rates.get(v)).mapToLong(Math::round).toArray()),
                        helpers(graphs.get(v)), graphs.get(v).score());
            }
        }
    }

    /** 8 seeded random minibatches of 64 dominoes-shaped inputs (1×56×28) with alternating one-hot labels. */
    static List<DataSet> batches() {
        return batches(1, 8, 64);
    }

    /** {@code count} minibatches of {@code size} random dominoes-shaped inputs, alternating one-hot labels. */
    static List<DataSet> batches(long seed, int count, int size) {
        Nd4j.getRandom().setSeed(seed);
        List<DataSet> batches = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            var x = Nd4j.rand(DataType.FLOAT, size, 1, 56, 28);
            var y = Nd4j.zeros(DataType.FLOAT, size, 2);
            for (int r = 0; r < size; r++) {
                y.putScalar(r, (r + i) % 2, 1f);
            }
            batches.add(new DataSet(x, y));
        }
        return batches;
    }

    static void apply(String variant, ComputationGraph net) throws ReflectiveOperationException {
        switch (variant) {
            case "default", "onednn-pooling", "dl4j-conv", "im2col-weight-gradient", "libnd4j-pooling",
                    "im2col-weight-gradient+libnd4j-pooling", "scalar-pooling", "scalar-weight-gradient" -> { }
            case "relu-in-conv" -> { // the convolutions keep their forward output but apply their own ReLU
                for (Layer l : net.getLayers()) {
                    if (l instanceof LibNd4jMaxPoolingLayer || l instanceof OneDnnConvolutionLayer) {
                        Field f = l.getClass().getDeclaredField(l instanceof LibNd4jMaxPoolingLayer ? "relu" : "reluToPooling");
                        f.setAccessible(true);
                        f.set(l, false);
                    }
                }
            }
            case "input-grad" -> { // the first convolution computes its (unused) input gradient on its helper again
                for (Layer l : net.getLayers()) {
                    if (l instanceof OneDnnConvolutionLayer conv) {
                        conv.restoreInputGradient();
                    }
                }
            }
            case "cache-device" -> net.setCacheMode(org.deeplearning4j.nn.conf.CacheMode.DEVICE);
            case "pool-builtin" -> clear(net, SubsamplingLayer.class, null);
            case "conv1-builtin" -> clear(net, ConvolutionLayer.class, Networks.CONV1);
            case "builtin" -> {
                clear(net, SubsamplingLayer.class, null);
                clear(net, ConvolutionLayer.class, null);
            }
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        }
    }

    private static void clear(ComputationGraph net, Class<?> kind, String only) throws ReflectiveOperationException {
        Field f = kind.getDeclaredField("helper");
        f.setAccessible(true);
        for (Layer l : net.getLayers()) {
            if (kind.isInstance(l) && (only == null || only.equals(l.getConfig().getLayerName()))) {
                f.set(l, null);
            }
        }
    }

    private static String helpers(ComputationGraph net) {
        StringBuilder s = new StringBuilder();
        for (Layer l : net.getLayers()) {
            Object h = l instanceof ConvolutionLayer c ? c.getHelper() : l instanceof SubsamplingLayer p ? p.getHelper() : "";
            if (!"".equals(h)) {
                s.append(l.getConfig().getLayerName()).append(':').append(l.getClass().getSimpleName()).append('/')
                        .append(h == null ? "no-helper" : h.getClass().getSimpleName()).append(' ');
            }
        }
        return s.toString().trim();
    }

    /**
     * Fits as variant {@code v}. Two variants are switches read on every call, so they are set for that variant's
     * fits only: {@code im2col-weight-gradient} (the first convolution's weight gradient by im2col, as before the
     * direct path) and {@code libnd4j-pooling} (max pooling on libnd4j's kernels, forward and backward);
     * {@code im2col-weight-gradient+libnd4j-pooling} sets both; {@code scalar-pooling} keeps the Java pooling's
     * forward pass off the vector API, {@code scalar-weight-gradient} the first convolution's direct weight gradient.
     */
    private static void fitAs(String v, ComputationGraph net, List<DataSet> batches, int n) {
        List<String> properties = new ArrayList<>();
        List<String> scalar = new ArrayList<>();
        for (String part : v.split("\\+")) {
            switch (part) {
                case "im2col-weight-gradient" -> properties.add(ConvolutionWeightGradient.IM2COL_PROPERTY);
                case "libnd4j-pooling" -> properties.add(MaxPooling2x2.LIBND4J_PROPERTY);
                case "scalar-pooling" -> scalar.add(MaxPooling2x2.VECTOR_PROPERTY);
                case "scalar-weight-gradient" -> scalar.add(ConvolutionWeightGradient.VECTOR_PROPERTY);
                default -> { }
            }
        }
        properties.forEach(p -> System.setProperty(p, "true"));
        scalar.forEach(p -> System.setProperty(p, "false"));
        try {
            fit(net, batches, n);
        } finally {
            properties.forEach(System::clearProperty);
            scalar.forEach(System::clearProperty);
        }
    }

    private static void fit(ComputationGraph net, List<DataSet> batches, int n) {
        for (int i = 0; i < n; i++) {
            net.fit(batches.get(i % batches.size()));
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
