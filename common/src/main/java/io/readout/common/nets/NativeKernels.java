package io.readout.common.nets;

import org.bytedeco.javacpp.Loader;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.AbstractLayer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

import java.lang.reflect.Field;
import java.util.Arrays;
import java.util.List;

/**
 * Which native kernels the networks' layers run on, and how many threads they use.
 *
 * <p>DL4J 1.0.0-M2.1 never attaches its oneDNN layer helpers by itself (its check looks for a class
 * that M2.1 moved, and the helpers are off unless a system property says otherwise), so on the
 * oneDNN build of nd4j-native convolutions still run as libnd4j's im2col + gemm, about 5× slower
 * (docs/BENCHMARKS.md, "CPU kernels"). {@link #engage} attaches the helpers to the convolution and
 * pooling layers of a network when, and only when, the loaded libnd4j is a oneDNN build and
 * {@value #PROPERTY} is not {@code false}. Helpers are transient: every network that is built,
 * restored or rebuilt by a Spark worker goes through {@link #engage} before it runs.
 */
public final class NativeKernels {
    /** System property: {@code false} keeps DL4J's built-in kernels even on a oneDNN build. */
    public static final String PROPERTY = "readout.onednn";
    /**
     * System property: {@code true} leaves max pooling on oneDNN (its reference NCHW kernel, slow: see
     * {@link LibNd4jMaxPoolingLayer}); by default {@link #engage} runs it on libnd4j's own kernel.
     */
    public static final String POOLING_PROPERTY = "readout.onednn.pooling";
    /**
     * System property: {@code true} leaves convolutions on DL4J's own layer, which runs the forward convolution
     * again in its backward pass; by default {@link #engage} puts a {@link OneDnnConvolutionLayer} in its place.
     */
    public static final String DL4J_CONV_PROPERTY = "readout.dl4j.conv";

    private static volatile Boolean oneDnnLoaded;

    private NativeKernels() {
    }

    /** True when the loaded libnd4j is a oneDNN build (nd4j-native classifier {@code *-onednn*}). */
    public static boolean oneDnnLoaded() {
        Boolean loaded = oneDnnLoaded;
        if (loaded == null) {
            String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
            loaded = "CPU".equalsIgnoreCase(backend) && Loader.getLoadedLibraries().values().stream()
                    .anyMatch(path -> path != null && path.contains("-onednn") && path.contains("nd4jcpu"));
            oneDnnLoaded = loaded;
        }
        return loaded;
    }

    /** Whether {@link #engage} attaches oneDNN helpers in this JVM. */
    public static boolean oneDnnEnabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY, "true")) && oneDnnLoaded();
    }

    /** What the layers run on, for logs and benchmark records. */
    public static String describe() {
        String backend = Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend");
        if (!"CPU".equalsIgnoreCase(backend)) {
            return backend;
        }
        return oneDnnLoaded() ? (oneDnnEnabled() ? "cpu-onednn" : "cpu-onednn (helpers off by -D" + PROPERTY + "=false)")
                : "cpu";
    }

    /** Whether {@link #engage} moves max pooling off oneDNN onto libnd4j's own kernel in this JVM. */
    public static boolean poolingOffOneDnn() {
        return oneDnnEnabled() && !Boolean.getBoolean(POOLING_PROPERTY);
    }

    /** Whether {@link #engage} puts {@link OneDnnConvolutionLayer}s in place of DL4J's convolution layers in this JVM. */
    public static boolean convolutionKeepsForward() {
        return oneDnnEnabled() && !Boolean.getBoolean(DL4J_CONV_PROPERTY);
    }

    /**
     * Attaches oneDNN helpers to the convolution and pooling layers that have none, when
     * {@link #oneDnnEnabled()}, puts a {@link LibNd4jMaxPoolingLayer} in place of each NCHW max-pooling layer
     * (unless {@value #POOLING_PROPERTY} is {@code true}) and a {@link OneDnnConvolutionLayer} in place of each
     * convolution layer it handles (unless {@value #DL4J_CONV_PROPERTY} is {@code true}), the one on a network input
     * without its unused input gradient; otherwise leaves the
     * network as it is. Idempotent and cheap.
     */
    public static ComputationGraph engage(ComputationGraph net) {
        if (net.getLayers() == null || !oneDnnEnabled()) {
            return net;
        }
        if (poolingOffOneDnn()) {
            replaceMaxPooling(net);
        }
        if (convolutionKeepsForward()) {
            replaceConvolutions(net);
            moveReluPastPooling(net);
            dropUnusedInputGradients(net);
        }
        for (Layer layer : net.getLayers()) {
            if (layer instanceof ConvolutionLayer conv && conv.getHelper() == null) {
                set(CONV_HELPER, conv, new MKLDNNConvHelper(net.params().dataType()));
            } else if (layer instanceof SubsamplingLayer pool && !(pool instanceof LibNd4jMaxPoolingLayer)
                    && pool.getHelper() == null) {
                set(POOL_HELPER, pool, new MKLDNNSubsamplingHelper(net.params().dataType()));
            }
        }
        return net;
    }

    /**
     * Swaps each plain NCHW max-pooling layer for a {@link LibNd4jMaxPoolingLayer} on the same configuration,
     * in the layer array and in its graph vertex. Pooling layers have no parameters, listeners are carried over.
     */
    private static void replaceMaxPooling(ComputationGraph net) {
        for (GraphVertex vertex : net.getVertices()) {
            if (vertex instanceof LayerVertex lv && lv.getLayer().getClass() == SubsamplingLayer.class
                    && lv.getLayer().conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.SubsamplingLayer conf
                    && LibNd4jMaxPoolingLayer.handles(conf)) {
                Layer old = lv.getLayer();
                LibNd4jMaxPoolingLayer pool = new LibNd4jMaxPoolingLayer(old.conf(), net.params().dataType());
                pool.setIndex(old.getIndex());
                pool.setListeners(old.getListeners());
                swap(net, lv, pool);
            }
        }
    }

    /** Puts {@code replacement} in place of {@code vertex}'s layer, in the vertex and in the network's layer array. */
    private static void swap(ComputationGraph net, LayerVertex vertex, Layer replacement) {
        Layer old = vertex.getLayer();
        set(VERTEX_LAYER, vertex, replacement);
        Layer[] layers = net.getLayers();
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] == old) {
                layers[i] = replacement;
            }
        }
    }

    /**
     * Swaps each convolution layer that {@link OneDnnConvolutionLayer#handles} for one on the same configuration and
     * parameter views, in the layer array and in its graph vertex.
     */
    private static void replaceConvolutions(ComputationGraph net) {
        for (GraphVertex vertex : net.getVertices()) {
            if (vertex instanceof LayerVertex lv && lv.getLayer().getClass() == ConvolutionLayer.class
                    && lv.getLayer().conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer conf
                    && OneDnnConvolutionLayer.handles(conf)) {
                ConvolutionLayer old = (ConvolutionLayer) lv.getLayer();
                swap(net, lv, OneDnnConvolutionLayer.replacing(old, net.params().dataType(), (CacheMode) get(CACHE_MODE, old)));
            }
        }
    }

    /**
     * Lets each {@link LibNd4jMaxPoolingLayer} apply the ReLU of the {@link OneDnnConvolutionLayer} in front of it
     * ({@link LibNd4jMaxPoolingLayer#takeReluFrom}) when the pooling layer is that convolution's only consumer and
     * the convolution is not an output of the network, so no one else sees the convolution's output change from
     * relu(z) to z.
     */
    private static void moveReluPastPooling(ComputationGraph net) {
        GraphVertex[] vertices = net.getVertices();
        List<String> outputs = net.getConfiguration().getNetworkOutputs();
        for (GraphVertex vertex : vertices) {
            if (vertex instanceof LayerVertex lv && lv.getLayer() instanceof OneDnnConvolutionLayer conv
                    && conv.canLeaveReluToPooling()
                    && !outputs.contains(vertex.getVertexName())
                    && vertex.getOutputVertices() != null && vertex.getOutputVertices().length == 1
                    && vertices[vertex.getOutputVertices()[0].getVertexIndex()] instanceof LayerVertex next
                    && next.getLayer() instanceof LibNd4jMaxPoolingLayer pool && !pool.appliesRelu()
                    && next.getInputVertices().length == 1 && next.getLayerPreProcessor() == null) {
                pool.takeReluFrom(conv);
            }
        }
    }

    /**
     * Tells each {@link OneDnnConvolutionLayer} whose inputs are all network inputs, with no preprocessor in between,
     * that nobody reads its input gradient ({@link OneDnnConvolutionLayer#dropInputGradient}).
     */
    private static void dropUnusedInputGradients(ComputationGraph net) {
        GraphVertex[] vertices = net.getVertices();
        for (GraphVertex vertex : vertices) {
            if (vertex instanceof LayerVertex lv && lv.getLayer() instanceof OneDnnConvolutionLayer conv
                    && lv.getLayerPreProcessor() == null && vertex.getInputVertices() != null
                    && Arrays.stream(vertex.getInputVertices())
                            .allMatch(in -> vertices[in.getVertexIndex()].isInputVertex())) {
                conv.dropInputGradient();
            }
        }
    }

    /** True when every convolution layer of {@code net} has a helper, and every pooling layer a helper or libnd4j's kernel. */
    public static boolean engaged(ComputationGraph net) {
        for (Layer layer : net.getLayers()) {
            if (layer instanceof ConvolutionLayer conv && conv.getHelper() == null
                    || layer instanceof SubsamplingLayer pool && pool.getHelper() == null
                    && !(pool instanceof LibNd4jMaxPoolingLayer)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Limits the calling thread's native parallelism: libnd4j's own pool (master threads), OpenBLAS, and the OpenMP
     * team size that oneDNN uses for regions entered from this thread ({@code omp_set_num_threads} is
     * per calling thread, so each Spark task thread calls this itself).
     */
    public static void limitThreads(int threads) {
        THREAD_LIMIT.set(threads);
        Nd4j.getEnvironment().setMaxThreads(threads); // a no-op in libnd4j M2.1 ("not possible at this moment"), kept for later versions
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
        NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(threads);
    }

    /**
     * As {@link #limitThreads}, skipped when the calling thread already has this limit: cheap enough
     * for every minibatch of a Spark task, whose threads are pooled and reused.
     */
    public static void limitThisThread(int threads) {
        if (!Integer.valueOf(threads).equals(THREAD_LIMIT.get())) {
            limitThreads(threads);
        }
    }

    private static final ThreadLocal<Integer> THREAD_LIMIT = new ThreadLocal<>();
    private static final Field CONV_HELPER = helperField(ConvolutionLayer.class);
    private static final Field POOL_HELPER = helperField(SubsamplingLayer.class);
    private static final Field VERTEX_LAYER = field(LayerVertex.class, "layer");
    private static final Field CACHE_MODE = field(AbstractLayer.class, "cacheMode");

    private static Field helperField(Class<?> layer) {
        return field(layer, "helper");
    }

    private static Field field(Class<?> owner, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("DL4J class " + owner.getName() + " has no " + name + " field", e);
        }
    }

    private static Object get(Field field, Object owner) {
        try {
            return field.get(owner);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void set(Field field, Object layer, Object helper) {
        try {
            field.set(layer, helper);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
