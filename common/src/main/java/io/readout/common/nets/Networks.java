package io.readout.common.nets;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The teacher and student networks as pure factories, used alike by local tests, Spark
 * training and the forward passes. Every network is a {@link ComputationGraph} whose vertices
 * have stable names, so aux heads attach by name: {@value #INPUT} → {@value #BLOCK1} (the first
 * block's output: after its pooling for a CNN, the first hidden layer for an MLP) →
 * {@value #BLOCK2} → {@value #DENSE} → {@value #OUTPUT} (softmax, cross-entropy unless the config gives another
 * loss, e.g. the distillation loss of a student).
 *
 * <p>Three input kinds ({@link NetworkConfig}): images go to a CNN ({@value #CONV1}, pool = {@value #BLOCK1},
 * {@value #CONV2}, pool = {@value #BLOCK2}); feature vectors to an MLP whose {@value #BLOCK1} and
 * {@value #BLOCK2} are dense layers of 4·c1 and 4·c2 units ({@link Architecture}); token ids to the same MLP
 * behind an {@link EmbeddingBag} {@value #EMBED} of width 2·c1 (64 for the teacher, 16 for the student: the mean
 * of the examples' token embeddings), so a readout head sees block1 alike for vectors and tokens.
 *
 * <p>A config with a {@link ReadoutHead} adds a second output: the head's block → {@value #READOUT_STOP}
 * (a {@link StopGradientVertex}) → [{@value #READOUT_BLOCK}1 … d → {@value #READOUT_POOL}] →
 * {@value #READOUT} (softmax, cross-entropy). The outputs are then [{@value #OUTPUT}, {@value #READOUT}],
 * in that order, for labels and for {@code output(...)}; every vertex of the head is named
 * {@value #READOUT}…, see {@link #inReadoutHead}.
 */
public final class Networks {
    public static final String INPUT = "input";
    public static final String CONV1 = "conv1";
    /** The embedding bag of a tokens network. */
    public static final String EMBED = "embed";
    public static final String BLOCK1 = "block1";
    public static final String CONV2 = "conv2";
    public static final String BLOCK2 = "block2";
    public static final String DENSE = "dense";
    public static final String OUTPUT = "output";
    public static final String READOUT = "readout";
    public static final String READOUT_STOP = "readout_stop";
    /** Prefix of the head's d blocks: readout_block1 … readout_block{d}. */
    public static final String READOUT_BLOCK = "readout_block";
    public static final String READOUT_POOL = "readout_pool";

    private Networks() {
    }

    /**
     * A new network, its parameters drawn from the config's seed ({@link InitialParameters}: the same values in
     * every process), on the fastest kernels this JVM has ({@link NativeKernels#engage}).
     */
    public static ComputationGraph build(NetworkConfig c) {
        ComputationGraph net = new ComputationGraph(configuration(c));
        net.init();
        InitialParameters.draw(net, c.seed());
        return NativeKernels.engage(net);
    }

    /** The updater of a config (also used by heads that train alongside). */
    public static IUpdater updater(String name, double lr) {
        return switch (name) {
            case "sgd" -> new Sgd(lr);
            case "nesterovs" -> new Nesterovs(lr, 0.9);
            default -> new Adam(lr);
        };
    }

    public static ComputationGraphConfiguration configuration(NetworkConfig c) {
        Architecture a = c.arch();
        Activation act = activation(c.activation());
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .seed(c.seed())
                .updater(updater(c.updater(), c.learningRate()))
                .weightDecay(c.weightDecay(), true)
                .weightInit("tanh".equals(c.activation()) ? WeightInit.XAVIER : WeightInit.RELU)
                .trainingWorkspaceMode(WorkspaceMode.ENABLED)
                .inferenceWorkspaceMode(WorkspaceMode.ENABLED)
                .graphBuilder()
                .addInputs(INPUT);
        if (c.isImage()) {
            g.setInputTypes(InputType.convolutional(c.height(), c.width(), c.channels()))
                    .addLayer(CONV1, conv(a.conv1(), act).build(), INPUT)
                    .addLayer(BLOCK1, pool(), CONV1)
                    .addLayer(CONV2, conv(a.conv2(), act).build(), BLOCK1)
                    .addLayer(BLOCK2, pool(), CONV2)
                    .addLayer(DENSE, new DenseLayer.Builder().nOut(a.dense()).activation(act).build(), BLOCK2);
        } else {
            // The MLP: block1 and block2 are dense layers of 4·c1 and 4·c2 units, so the teacher/student width
            // ratio is that of the CNNs. Token ids first become the mean of their embeddings, 2·c1 wide.
            g.setInputTypes(InputType.feedForward(c.numFeatures()));
            String mlpInput = INPUT;
            if (c.isTokens()) {
                g.addLayer(EMBED, new EmbeddingBag.Builder().nIn(c.vocabSize()).nOut(2L * a.conv1())
                        .length(c.numFeatures()).build(), INPUT);
                mlpInput = EMBED;
            }
            g.addLayer(BLOCK1, new DenseLayer.Builder().nOut(4 * a.conv1()).activation(act).build(), mlpInput)
                    .addLayer(BLOCK2, new DenseLayer.Builder().nOut(4 * a.conv2()).activation(act).build(), BLOCK1)
                    .addLayer(DENSE, new DenseLayer.Builder().nOut(a.dense()).activation(act).build(), BLOCK2);
        }
        OutputLayer.Builder output = softmax(c.numClasses());
        if (c.outputLoss() != null) {
            output.lossFunction(c.outputLoss());
        }
        g.addLayer(OUTPUT, output.build(), DENSE);
        if (c.hasReadout()) {
            addReadout(g, c);
            g.setOutputs(OUTPUT, READOUT);
        } else {
            g.setOutputs(OUTPUT);
        }
        return g.build();
    }

    /** True for the vertices of a readout head: the stop-gradient vertex, the head's blocks and its output. */
    public static boolean inReadoutHead(String vertexName) {
        return vertexName.equals(READOUT) || vertexName.startsWith(READOUT + "_");
    }

    /**
     * The head's layers train with their own updater and learning rate (SIFER's aux-lr); the network's
     * weight decay coefficient applies to them too, scaled by that learning rate.
     */
    private static void addReadout(ComputationGraphConfiguration.GraphBuilder g, NetworkConfig c) {
        ReadoutHead h = c.readout();
        g.addVertex(READOUT_STOP, new StopGradientVertex(), h.auxAt());
        String in = READOUT_STOP;
        for (int i = 1; i <= h.depth(); i++) {
            String name = READOUT_BLOCK + i;
            g.addLayer(name, c.isImage()
                    ? conv(h.width(), Activation.RELU).updater(updater(h.updater(), h.learningRate())).build()
                    : new DenseLayer.Builder().nOut(h.width()).activation(Activation.RELU)
                            .updater(updater(h.updater(), h.learningRate())).build(), in);
            in = name;
        }
        if (c.isImage() && h.depth() > 0) {
            g.addLayer(READOUT_POOL, new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), in);
            in = READOUT_POOL;
        }
        // With depth 0 on a CNN, DL4J flattens the block output (channels first) in front of this layer.
        g.addLayer(READOUT, softmax(c.numClasses()).updater(updater(h.updater(), h.learningRate())).build(), in);
    }

    private static OutputLayer.Builder softmax(int classes) {
        return new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                .nOut(classes).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER);
    }

    /** 3x3, stride 1, padded to keep the size. */
    private static ConvolutionLayer.Builder conv(int channels, Activation act) {
        return new ConvolutionLayer.Builder(3, 3).stride(1, 1).padding(1, 1).nOut(channels)
                .convolutionMode(ConvolutionMode.Truncate).activation(act);
    }

    /** The hidden-layer activation of a config's name. */
    static Activation activation(String name) {
        return switch (name) {
            case "leakyrelu" -> Activation.LEAKYRELU;
            case "elu" -> Activation.ELU;
            case "tanh" -> Activation.TANH;
            default -> Activation.RELU;
        };
    }

    private static SubsamplingLayer pool() {
        return new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build();
    }
}
