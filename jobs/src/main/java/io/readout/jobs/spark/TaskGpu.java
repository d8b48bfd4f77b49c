package io.readout.jobs.spark;

import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Pins ND4J, on an executor's task thread, to the GPU Spark assigned to the task
 * ({@code spark.task.resource.gpu.amount}, deploy/gpu/gpu.properties), so that two tasks of one
 * executor never share a device and a task's arrays live on its own GPU.
 *
 * <p>A no-op, touching neither ND4J nor its backend, outside a Spark task or when the task has no
 * {@value #RESOURCE} resource (every CPU run); on a non-CUDA backend it does nothing either. Spark's
 * address is the index nvidia-smi reports; when {@code CUDA_VISIBLE_DEVICES} hides devices, CUDA
 * renumbers the visible ones from 0, so the address is looked up in that list first.
 */
public final class TaskGpu {
    /** Spark's name of the resource (spark.executor.resource.gpu.*). */
    public static final String RESOURCE = "gpu";

    private TaskGpu() {
    }

    /** Pins this task thread to its GPU, when it has one and ND4J runs on CUDA. Cheap and idempotent. */
    public static void pinThisThread() {
        TaskContext task = TaskContext.get();
        if (task == null) {
            return;
        }
        ResourceInformation gpu = task.resourcesJMap().get(RESOURCE);
        if (gpu == null) {
            return;
        }
        OptionalInt device = device(gpu.addresses(), System.getenv("CUDA_VISIBLE_DEVICES"));
        if (device.isEmpty() || !cudaBackend()) {
            return;
        }
        Integer current = Nd4j.getAffinityManager().getDeviceForCurrentThread();
        if (current == null || current != device.getAsInt()) {
            Nd4j.getAffinityManager().unsafeSetDevice(device.getAsInt());
        }
    }

    /**
     * The CUDA device ordinal of a task's first GPU address: the address itself, or its position in
     * {@code cudaVisibleDevices} when that is set and lists it. Empty without a usable address.
     */
    static OptionalInt device(String[] addresses, String cudaVisibleDevices) {
        if (addresses == null || addresses.length == 0 || !addresses[0].strip().matches("\\d+")) {
            return OptionalInt.empty();
        }
        String address = addresses[0].strip();
        if (cudaVisibleDevices != null && !cudaVisibleDevices.isBlank()) {
            List<String> visible = Arrays.stream(cudaVisibleDevices.split(",")).map(String::strip).toList();
            int position = visible.indexOf(address);
            if (position >= 0) {
                return OptionalInt.of(position);
            }
        }
        return OptionalInt.of(Integer.parseInt(address));
    }

    private static boolean cudaBackend() {
        return "CUDA".equalsIgnoreCase(Nd4j.getExecutioner().getEnvironmentInformation().getProperty("backend"));
    }
}
