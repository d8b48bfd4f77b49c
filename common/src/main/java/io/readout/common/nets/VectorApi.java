package io.readout.common.nets;

/**
 * Whether this JVM may run the kernels written with the JDK's vector API ({@link VectorMaxPooling}): it resolved
 * the incubator module {@code jdk.incubator.vector} (Java 17 needs
 * {@code --add-modules jdk.incubator.vector}, which deploy's jvm.options, and so the launchers, Spark's driver and
 * executors and the tests, give it), and the kernel's system property is not {@code false}. Without it the same
 * bits come from scalar loops. Asking never loads a vector class.
 */
final class VectorApi {
    private static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorApi() {
    }

    /** Whether the module is there and {@code property} is not {@code false}. */
    static boolean enabled(String property) {
        return MODULE && !"false".equalsIgnoreCase(System.getProperty(property));
    }
}
