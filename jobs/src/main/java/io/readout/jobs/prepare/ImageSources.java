package io.readout.jobs.prepare;

import io.readout.datasets.DatasetSource;
import io.readout.datasets.io.HadoopInputs;

/** The sources read from image folders and user tables: waterbirds, celeba, table. */
final class ImageSources {
    private ImageSources() {
    }

    static DatasetSource create(PrepareConfig c, HadoopInputs inputs) {
        throw new IllegalStateException("PENDING-WIRING " + c.dataset());
    }
}
