package io.readout.jobs.run;

import io.readout.common.BadInputException;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link PipelineRoot#record} reads from a pipeline root's config, in the shapes readout versions wrote. */
class PipelineRootTest {
    @TempDir
    Path root;

    private PipelineRoot.Record record(String json) throws IOException {
        Files.writeString(root.resolve(PipelineRoot.CONFIG), json);
        return PipelineRoot.record(new Configuration(), root.toString());
    }

    @Test
    void readsSeedsAndMethods() throws IOException {
        assertNull(PipelineRoot.record(new Configuration(), root.toString()), "no config: not a pipeline root");
        PipelineRoot.Record list = record("{\"seeds\" : [ 3, 1 ], \"other\" : {\"x\" : 1},"
                + " \"students\" : {\"methods\" : [ \"erm\", \"kd\", \"erm\" ]}}");
        assertTrue(list.seedList());
        assertEquals(List.of(3L, 1L), list.seeds());
        assertEquals(List.of("erm", "kd"), list.methods());
        PipelineRoot.Record one = record("{\"seed\" : 7, \"students\" : {\"methods\" : \"jtt, sifer\"}}");
        assertEquals(List.of(7L), one.seeds());
        assertEquals(List.of("jtt", "sifer"), one.methods());
        PipelineRoot.Record bare = record("{\"students\" : \"erm\"}");
        assertEquals(List.of(0L), bare.seeds());
        assertEquals(List.of(), bare.methods());
        assertEquals(List.of(0L, 2L), record("{\"seeds\" : \"0,2\"}").seeds());
        assertThrows(BadInputException.class, () -> record("{\"seeds\" : [ 1.5 ]}"));
        assertTrue(assertThrows(BadInputException.class, () -> record("{")).getMessage().contains(": not valid JSON: "));
    }
}
