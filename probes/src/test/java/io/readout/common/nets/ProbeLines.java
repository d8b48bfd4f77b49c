package io.readout.common.nets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.readout.common.Json;
import io.readout.common.MachineCpu;

/** Lines every probe prints, in the form the results files and docs/bench/profile/probe_json.py read. */
final class ProbeLines {
    private ProbeLines() {
    }

    /** {@code PROBE cpu: {...}}: the CPU the probe runs on, on one line. */
    static String cpu() throws JsonProcessingException {
        return "PROBE cpu: " + Json.mapper().writer().without(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(MachineCpu.current().toJson());
    }
}
