package io.readout.jobs.prepare;

import io.readout.datasets.DatasetSource;
import io.readout.datasets.io.HadoopInputs;
import io.readout.datasets.text.CivilCommentsSource;
import io.readout.datasets.text.MultiNliSource;

/** The sources read from released text benchmarks: civilcomments, multinli. */
final class TextSources {
    private TextSources() {
    }

    static DatasetSource create(String dataset, SourceOptions o, HadoopInputs inputs) {
        return switch (dataset) {
            case "civilcomments" -> new CivilCommentsSource(inputs, o.source(), o.identities(),
                    CivilCommentsSource.AttributeRule.parse(o.attribute(), "--attribute"));
            case "multinli" -> new MultiNliSource(inputs, o.source(),
                    MultiNliSource.SplitScheme.parse(o.splitScheme(), "--split-scheme"));
            default -> throw new IllegalArgumentException("not a text dataset: " + dataset);
        };
    }
}
