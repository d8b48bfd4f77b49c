package io.readout.common.nets;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.util.Map;

import static io.readout.common.RelativeTolerance.FLOAT_EPSILON;
import static io.readout.common.RelativeTolerance.assertClose;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NativeKernelsTest {
    private static final NetworkConfig STUDENT = NetworkConfig.image(Architecture.STUDENT, 1, 56, 28, 2, "adam", 1e-3, 0, 3);

    /** The build under test (set by the pom from nd4j.classifier). */
    private static boolean oneDnnBuild() {
        return System.getProperty("readout.nd4j.classifier", "").contains("onednn");
    }

    @Test
    void theLoadedNativeBuildIsDetected() {
        Assumptions.assumeTrue(System.getProperty("readout.nd4j.classifier") != null, "run by Maven");
        assertEquals(oneDnnBuild(), NativeKernels.oneDnnLoaded(), NativeKernels.describe());
        assertEquals(oneDnnBuild() ? "cpu-onednn" : "cpu", NativeKernels.describe());
    }

    @Test
    void builtNetworksRunOnOneDnnHelpersWhenTheBuildHasThem() {
        ComputationGraph net = Networks.build(STUDENT);
        assertEquals(NativeKernels.oneDnnEnabled(), NativeKernels.engaged(net));
        if (NativeKernels.oneDnnEnabled()) {
            assertInstanceOf(MKLDNNConvHelper.class, ((ConvolutionLayer) net.getLayer(Networks.CONV1)).getHelper());
            assertInstanceOf(MKLDNNConvHelper.class, ((ConvolutionLayer) net.getLayer(Networks.CONV2)).getHelper());
            assertInstanceOf(LibNd4jMaxPoolingLayer.class, net.getLayer(Networks.BLOCK1), "max pooling off oneDNN");
            assertInstanceOf(LibNd4jMaxPoolingLayer.class, net.getLayer(Networks.BLOCK2));
            assertTrue(java.util.Arrays.stream(net.getLayers()).anyMatch(l -> l == net.getLayer(Networks.BLOCK1)),
                    "the vertex and the layer array hold the same layer");
            assertFalse(java.util.Arrays.stream(net.getLayers()).anyMatch(l -> l.getClass() == SubsamplingLayer.class));
            Object helper = ((ConvolutionLayer) net.getLayer(Networks.CONV1)).getHelper();
            NativeKernels.engage(net);
            assertSame(helper, ((ConvolutionLayer) net.getLayer(Networks.CONV1)).getHelper(), "engage is idempotent");
        }
    }

    @Test
    void maxPoolingCanBeLeftOnOneDnnByTheProperty() {
        Assumptions.assumeTrue(NativeKernels.oneDnnEnabled(), "no oneDNN build loaded");
        ComputationGraph net = oneDnnPooling(STUDENT);
        assertSame(SubsamplingLayer.class, net.getLayer(Networks.BLOCK1).getClass());
        assertInstanceOf(MKLDNNSubsamplingHelper.class, ((SubsamplingLayer) net.getLayer(Networks.BLOCK1)).getHelper());
        assertTrue(NativeKernels.engaged(net));
    }

    /**
     * Max pooling on libnd4j's own kernel trains to the same bits as on oneDNN's (a maximum is exact, and its
     * gradient a scatter without sums), over several Adam steps of both networks, and leaves the configuration,
     * and so what a saved model holds, as it was.
     */
    @Test
    void maxPoolingOnLibNd4jTrainsToTheBitsOfOneDnn() {
        Assumptions.assumeTrue(NativeKernels.oneDnnEnabled(), "no oneDNN build loaded");
        for (Architecture arch : Architecture.values()) {
            NetworkConfig c = NetworkConfig.image(arch, 1, 56, 28, 2, "adam", 1e-3, 0, 7);
            ComputationGraph libnd4j = Networks.build(c);
            ComputationGraph oneDnn = oneDnnPooling(c);
            assertInstanceOf(LibNd4jMaxPoolingLayer.class, libnd4j.getLayer(Networks.BLOCK2));
            assertSame(SubsamplingLayer.class, oneDnn.getLayer(Networks.BLOCK2).getClass());
            assertEquals(oneDnn.getConfiguration().toJson(), libnd4j.getConfiguration().toJson());
            assertEquals(oneDnn.params(), libnd4j.params(), "same seed, same initial parameters");
            Nd4j.getRandom().setSeed(13);
            for (int step = 0; step < 3; step++) {
                INDArray x = Nd4j.rand(DataType.FLOAT, 16, 1, 56, 28).subi(0.5); // negative inputs too: ReLU zeros tie in windows
                INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 2);
                for (int i = 0; i < 16; i++) {
                    y.putScalar(i, (i + step) % 2, 1f);
                }
                libnd4j.fit(new org.nd4j.linalg.dataset.DataSet(x, y));
                oneDnn.fit(new org.nd4j.linalg.dataset.DataSet(x, y));
                assertEquals(oneDnn.score(), libnd4j.score(), 0.0, arch + " loss, step " + step);
                assertEquals(oneDnn.params(), libnd4j.params(), arch + " parameters after step " + step);
            }
            INDArray x = Nd4j.rand(DataType.FLOAT, 8, 1, 56, 28);
            assertEquals(oneDnn.outputSingle(x), libnd4j.outputSingle(x), arch + " outputs");
        }
    }

    @Test
    void convolutionKeepingItsForwardOutputTrainsToTheBitsOfDl4jsLayer() {
        Assumptions.assumeTrue(NativeKernels.oneDnnEnabled(), "no oneDNN build loaded");
        ReadoutHead convHead = ReadoutHead.linear(Networks.BLOCK1, "adam", 1e-3).withBlocks(1, 4); // a conv + ReLU aux block behind the stop-gradient
        for (NetworkConfig c : new NetworkConfig[] {
                NetworkConfig.image(Architecture.STUDENT, 1, 56, 28, 2, "adam", 1e-3, 0, 7),
                NetworkConfig.image(Architecture.TEACHER, 1, 56, 28, 2, "adam", 1e-3, 0, 7),
                NetworkConfig.image(Architecture.STUDENT, 3, 12, 10, 4, "nesterovs", 1e-2, 0, 9).withReadout(convHead)}) {
            String name = c.arch() + (c.readout() == null ? "" : " with a conv aux head") + " " + c.channels() + "x"
                    + c.height() + "x" + c.width();
            ComputationGraph kept = Networks.build(c);
            ComputationGraph dl4j = dl4jConvolution(c);
            // The first convolution's weight gradient without its input gradient adds in another order: the test
            // below. Here it runs on the helper, as DL4J's layer does, to compare the rest to the bit.
            ((OneDnnConvolutionLayer) kept.getLayer(Networks.CONV1)).restoreInputGradient();
            assertInstanceOf(OneDnnConvolutionLayer.class, kept.getLayer(Networks.CONV1));
            assertInstanceOf(OneDnnConvolutionLayer.class, kept.getLayer(Networks.CONV2));
            assertSame(ConvolutionLayer.class, dl4j.getLayer(Networks.CONV1).getClass());
            assertTrue(NativeKernels.engaged(kept), name + ": every convolution has its oneDNN helper");
            for (String block : new String[] {Networks.BLOCK1, Networks.BLOCK2}) {
                assertTrue(((LibNd4jMaxPoolingLayer) kept.getLayer(block)).appliesRelu(), name + ": " + block + " applies the ReLU");
            }
            assertEquals(dl4j.getConfiguration().toJson(), kept.getConfiguration().toJson());
            assertArrayEquals(dl4j.params().toFloatVector(), kept.params().toFloatVector(), name + ": initial parameters");
            Nd4j.getRandom().setSeed(17);
            for (int step = 0; step < 3; step++) {
                // Negative inputs too, so that ReLU zeros and exact zeros of the output reach the mask.
                INDArray x = Nd4j.rand(DataType.FLOAT, 16, c.channels(), c.height(), c.width()).subi(0.5);
                INDArray[] y = oneHotLabels(dl4j.getNumOutputArrays(), 16, c.numClasses(), step);
                var batch = new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x}, y);
                dl4j.fit(batch);
                kept.fit(batch);
                assertEquals(dl4j.score(), kept.score(), 0.0, name + " loss, step " + step);
                assertArrayEquals(dl4j.params().toFloatVector(), kept.params().toFloatVector(),
                        name + " parameters after step " + step + ", to the bit");
            }
            INDArray x = Nd4j.rand(DataType.FLOAT, 8, c.channels(), c.height(), c.width());
            assertArrayEquals(dl4j.output(x)[0].data().asFloat(), kept.output(x)[0].data().asFloat(), name + " outputs");
        }
    }

    /**
     * The convolution on the network's input computes its weight and bias gradients alone
     * ({@link ConvolutionWeightGradient}): the same gradients as DL4J's layer up to the order of the additions,
     * every other layer's gradient to the bit, the same loss.
     */
    @Test
    void firstConvolutionLeavesOutItsInputGradient() {
        Assumptions.assumeTrue(NativeKernels.oneDnnEnabled(), "no oneDNN build loaded");
        ReadoutHead convHead = ReadoutHead.linear(Networks.BLOCK1, "adam", 1e-3).withBlocks(1, 4);
        for (NetworkConfig c : new NetworkConfig[] {
                NetworkConfig.image(Architecture.STUDENT, 1, 56, 28, 2, "adam", 1e-3, 0, 7),
                NetworkConfig.image(Architecture.TEACHER, 3, 12, 10, 4, "nesterovs", 1e-2, 0, 9).withReadout(convHead)}) {
            String name = c.arch() + " " + c.channels() + "x" + c.height() + "x" + c.width();
            ComputationGraph ours = Networks.build(c);
            ComputationGraph dl4j = dl4jConvolution(c);
            for (var layer : ours.getLayers()) {
                if (layer instanceof OneDnnConvolutionLayer conv) {
                    assertEquals(Networks.CONV1.equals(layer.getConfig().getLayerName()), conv.dropsInputGradient(),
                            name + ": only the convolution on the input leaves out its input gradient, "
                                    + layer.getConfig().getLayerName());
                }
            }
            Nd4j.getRandom().setSeed(23);
            int n = 16;
            INDArray x = Nd4j.rand(DataType.FLOAT, n, c.channels(), c.height(), c.width()).subi(0.5);
            INDArray[] y = oneHotLabels(dl4j.getNumOutputArrays(), n, c.numClasses(), 0);
            for (ComputationGraph net : new ComputationGraph[] {ours, dl4j}) {
                net.setInputs(x);
                net.setLabels(y);
                net.computeGradientAndScore();
            }
            assertEquals(dl4j.score(), ours.score(), 0.0, name + " loss");
            Map<String, INDArray> expected = dl4j.gradient().gradientForVariable();
            Map<String, INDArray> actual = ours.gradient().gradientForVariable();
            assertEquals(expected.keySet(), actual.keySet());
            // conv1's weight gradient sums n·H·W products per entry (padding 1, stride 1): the bound of a float
            // sum of that length, in eps of its largest component.
            double rtol = n * c.height() * c.width() * FLOAT_EPSILON;
            // What the updater reads: conv1's slice of the network's flattened gradient.
            assertClose(dl4j.getLayer(Networks.CONV1).getGradientsViewArray(),
                    ours.getLayer(Networks.CONV1).getGradientsViewArray(), rtol, name + " conv1's flattened gradient");
            expected.forEach((v, g) -> {
                if (v.startsWith(Networks.CONV1 + "_")) {
                    assertClose(g, actual.get(v), rtol, name + " gradient " + v);
                } else {
                    assertArrayEquals(g.data().asFloat(), actual.get(v).data().asFloat(), name + " gradient " + v);
                }
            });
        }
    }

    @Test
    void convolutionCanBeLeftOnDl4jsLayerByTheProperty() {
        Assumptions.assumeTrue(NativeKernels.oneDnnEnabled(), "no oneDNN build loaded");
        ComputationGraph dl4j = dl4jConvolution(STUDENT);
        assertSame(ConvolutionLayer.class, dl4j.getLayer(Networks.CONV2).getClass());
        assertInstanceOf(MKLDNNConvHelper.class, ((ConvolutionLayer) dl4j.getLayer(Networks.CONV2)).getHelper());
        assertTrue(NativeKernels.engaged(dl4j));
    }

    /** One label array per output, n rows: row i of output o is one-hot at class (i + shift + o) mod classes. */
    private static INDArray[] oneHotLabels(int outputs, int n, int classes, int shift) {
        INDArray[] y = new INDArray[outputs];
        for (int o = 0; o < outputs; o++) {
            y[o] = Nd4j.zeros(DataType.FLOAT, n, classes);
            for (int i = 0; i < n; i++) {
                y[o].putScalar(i, (i + shift + o) % classes, 1f);
            }
        }
        return y;
    }

    private static ComputationGraph oneDnnPooling(NetworkConfig c) {
        return builtWith(NativeKernels.POOLING_PROPERTY, c);
    }

    private static ComputationGraph dl4jConvolution(NetworkConfig c) {
        return builtWith(NativeKernels.DL4J_CONV_PROPERTY, c);
    }

    /** {@code c} built while the system property {@code property} is {@code true}. */
    private static ComputationGraph builtWith(String property, NetworkConfig c) {
        System.setProperty(property, "true");
        try {
            return Networks.build(c);
        } finally {
            System.clearProperty(property);
        }
    }

    @Test
    void helpersCanBeTurnedOffByTheProperty() {
        System.setProperty(NativeKernels.PROPERTY, "false");
        try {
            ComputationGraph net = Networks.build(STUDENT);
            assertFalse(NativeKernels.oneDnnEnabled());
            assertNull(((ConvolutionLayer) net.getLayer(Networks.CONV1)).getHelper());
            assertFalse(NativeKernels.engaged(net));
        } finally {
            System.clearProperty(NativeKernels.PROPERTY);
        }
    }

    /**
     * The oneDNN kernels compute what DL4J's built-in ones compute, forward and backward, up to the order in
     * which they add: a sum of N float products added in another order moves by up to N·eps of its terms.
     */
    @Test
    void oneDnnAndBuiltInKernelsAgree() {
        Assumptions.assumeTrue(NativeKernels.oneDnnEnabled(), "no oneDNN build loaded");
        for (Architecture arch : Architecture.values()) {
            NetworkConfig c = NetworkConfig.image(arch, 1, 56, 28, 2, "adam", 1e-3, 0, 5);
            ComputationGraph helped = Networks.build(c);
            System.setProperty(NativeKernels.PROPERTY, "false");
            ComputationGraph plain;
            try {
                plain = Networks.build(c);
            } finally {
                System.clearProperty(NativeKernels.PROPERTY);
            }
            assertFalse(NativeKernels.engaged(plain));
            assertTrue(NativeKernels.engaged(helped));
            plain.setParams(helped.params().dup());
            Nd4j.getRandom().setSeed(11);
            INDArray x = Nd4j.rand(DataType.FLOAT, 16, 1, 56, 28);
            INDArray y = Nd4j.zeros(DataType.FLOAT, 16, 2);
            for (int i = 0; i < 16; i++) {
                y.putScalar(i, i % 2, 1f);
            }
            // Forward, only the convolutions run on other kernels; their longest sums are conv2's, 9·c1 products
            // (observed: 4.9 eps of the largest output, AVX2 and SSE4.1 alike).
            double forward = 9 * arch.conv1() * FLOAT_EPSILON;
            // Backward, a weight gradient sums over the batch and the image: 16·56·28 products for conv1
            // (observed: 22 eps of a gradient's largest component with AVX2, 13 with SSE4.1).
            double backward = 16 * 56 * 28 * FLOAT_EPSILON;
            INDArray outPlain = plain.outputSingle(x);
            INDArray outHelped = helped.outputSingle(x);
            assertClose(outPlain, outHelped, forward, arch + " outputs");
            plain.setInputs(x);
            plain.setLabels(y);
            plain.computeGradientAndScore();
            helped.setInputs(x);
            helped.setLabels(y);
            helped.computeGradientAndScore();
            assertClose(plain.score(), helped.score(), forward, arch + " loss");
            Map<String, INDArray> g1 = plain.gradient().gradientForVariable();
            Map<String, INDArray> g2 = helped.gradient().gradientForVariable();
            assertEquals(g1.keySet(), g2.keySet());
            g1.forEach((v, g) -> assertClose(g, g2.get(v), backward, arch + " gradient " + v));
        }
    }

    @Test
    void limitThreadsSetsTheCallingThreadsOpenMpTeam() {
        var ops = NativeOpsHolder.getInstance().getDeviceNativeOps();
        int before = ops.ompGetMaxThreads();
        try {
            NativeKernels.limitThreads(1);
            assertEquals(1, ops.ompGetMaxThreads(), "OpenMP team of this thread");
            assertEquals(1, Nd4j.getEnvironment().maxMasterThreads(), "libnd4j's pool");
        } finally {
            NativeKernels.limitThreads(before);
        }
    }
}
