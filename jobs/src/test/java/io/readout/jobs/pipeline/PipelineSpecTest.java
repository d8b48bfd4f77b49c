package io.readout.jobs.pipeline;

import io.readout.common.BadInputException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineSpecTest {
    private static final String CONFIG = """
            {"root": "/r", "seed": 3,
             "prepare": {"dataset": "synthetic", "n-train": 200},
             "train": {"epochs": 2, "lr": 0.01},
             "teacher": {"arch": "teacher", "epochs": 3},
             "teacher_probs": {"temperature": 4},
             "students": {"methods": ["erm", "kd", "dedier", "sifer"], "batch": 32},
             "methods": {"sifer": {"forget-every": 0, "aux-lr": 0.001}, "dedier": {"beta": 1}}}
            """;

    private static PipelineSpec spec(String... overrides) {
        return PipelineSpec.parse(CONFIG, "p.json", List.of(overrides));
    }

    private static String bad(String json, String... overrides) {
        return assertThrows(BadInputException.class, () -> PipelineSpec.parse(json, "p.json", List.of(overrides)))
                .getMessage();
    }

    @Test
    void sectionsBecomeFlagsAndOverridesReplaceOneKeyEach() {
        PipelineSpec s = spec();
        assertEquals("/r", s.root());
        assertEquals(3, s.seed());
        assertEquals(List.of("erm", "kd", "dedier", "sifer"), s.methods());
        assertEquals(Map.of("dataset", "synthetic", "n-train", "200"), s.flags(PipelineSpec.PREPARE));
        assertEquals(Map.of("batch", "32"), s.flags(PipelineSpec.STUDENTS));
        assertEquals(Map.of("forget-every", "0", "aux-lr", "0.001"), s.methodFlags("sifer"));
        assertTrue(s.reports());

        PipelineSpec o = spec("root=/elsewhere", "students.methods=erm,jtt", "train.epochs=5",
                "methods.sifer.forget-lr=1e-3", "report=false", "evaluate.batch=64", "prepare.n-train=null");
        assertEquals("/elsewhere", o.root());
        assertEquals(List.of("erm", "jtt"), o.methods());
        assertEquals("5", o.flags(PipelineSpec.TRAIN).get("epochs"));
        assertEquals("0.001", o.methodFlags("sifer").get("forget-lr"));
        assertEquals(Map.of("batch", "64"), o.flags(PipelineSpec.EVALUATE));
        assertFalse(o.reports());
        assertEquals(Map.of("dataset", "synthetic"), o.flags(PipelineSpec.PREPARE));
    }

    @Test
    void switchesListsAndFalse() {
        PipelineSpec s = PipelineSpec.parse("""
                {"root": "r", "data": "/d", "prepare": {}, "train": {"on": true, "off": false, "ids": [1, 2]}}""",
                "p.json", List.of());
        assertEquals(Map.of("on", "", "ids", "1,2"), s.flags(PipelineSpec.TRAIN));
        assertEquals("/d", s.data());
        assertEquals(List.of(), s.methods());
    }

    @Test
    void badConfigsNameTheKey() {
        assertEquals("p.json: unknown key 'studnets' (known: root, seed, data, prepare, train, teacher, teacher_probs,"
                + " students, methods, evaluate, report, retrain)", bad("{\"root\": \"r\", \"studnets\": {}}"));
        assertEquals("p.json: no root folder (set \"root\" or pass --root)", bad("{\"prepare\": {\"dataset\": \"x\"}}"));
        assertEquals("p.json: neither data (a prepared table) nor a prepare section", bad("{\"root\": \"r\"}"));
        assertEquals("p.json: students.methods: unknown method 'gdro' (known: erm, kd, jtt, dedier, sifer)",
                bad(CONFIG, "students.methods=erm,gdro"));
        assertEquals("p.json: methods.gdro: unknown method (known: erm, kd, jtt, dedier, sifer)",
                bad(CONFIG, "methods.gdro.lr=1"));
        assertEquals("p.json: train.out: set by the pipeline, not by the config", bad(CONFIG, "train.out=/x"));
        assertEquals("p.json: train must be an object of flags, got 3", bad(CONFIG, "train=3"));
        assertEquals("p.json: seed must be an integer, got 1.5", bad(CONFIG, "seed=1.5"));
        assertEquals("--set train: expected KEY=VALUE, e.g. students.methods=erm,sifer", bad(CONFIG, "train"));
        assertEquals("--set seed.x=1: seed is not a section", bad(CONFIG, "seed.x=1"));
        assertTrue(bad(CONFIG, "evaluate.model=best").startsWith("p.json: evaluate.model: set by the pipeline"));
        assertTrue(bad("{\"root\": [1]}").contains("no root folder"));
        assertEquals("p.json: retrain.candidate 'students/jtt' is not best, teacher or one of the students"
                + " (students/erm, students/kd, students/dedier, students/sifer)", bad(CONFIG, "retrain.candidate=students/jtt"));
        assertEquals("p.json: retrain.warm: unknown key (known: candidate, warm_start)", bad(CONFIG, "retrain.warm=true"));
        assertEquals("p.json: retrain.warm_start must be true or false, got 1", bad(CONFIG, "retrain.warm_start=1"));
        assertEquals("best", spec().candidate());
        assertFalse(spec().warmStart());
        assertTrue(spec("retrain.warm_start=true", "retrain.candidate=teacher").warmStart());
    }

    @Test
    void theStagesRunInOrderWithTheirSectionsMerged() {
        List<Stage> stages = StagePlan.of(spec(), "/r");
        assertEquals(List.of("prepare", "teacher", "teacher-probs", "students/erm", "students/kd", "students/dedier",
                "students/sifer", "evaluate/teacher", "evaluate/students/erm", "evaluate/students/kd",
                "evaluate/students/dedier", "evaluate/students/sifer", "report"),
                stages.stream().map(Stage::name).toList());
        Map<String, Stage> byName = new java.util.HashMap<>();
        stages.forEach(s -> byName.put(s.name(), s));
        assertEquals(List.of(List.of("prepare", "--dataset=synthetic", "--n-train=200", "--out=/r/data", "--seed=3")),
                byName.get("prepare").commands());
        // train, then teacher: the teacher's epochs win.
        assertEquals(List.of("train", "--method=erm", "--arch=teacher", "--epochs=3", "--lr=0.01", "--data=/r/data",
                "--out=/r/teacher", "--seed=3"), byName.get("teacher").commands().get(0));
        assertEquals(List.of("teacher-probs", "--temperature=4", "--teacher=/r/teacher", "--data=/r/data",
                "--out=/r/teacher-probs"), byName.get("teacher-probs").commands().get(0));
        assertEquals(List.of("train", "--method=dedier", "--arch=student", "--epochs=2", "--lr=0.01",
                "--temperature=4", "--batch=32", "--beta=1", "--data=/r/data", "--out=/r/students/dedier", "--seed=3",
                "--teacher=/r/teacher", "--teacher-probs=/r/teacher-probs"), byName.get("students/dedier").commands().get(0));
        assertEquals(List.of("prepare", "teacher", "teacher-probs"), byName.get("students/kd").upstream());
        assertEquals(List.of("prepare"), byName.get("students/sifer").upstream());
        assertEquals(List.of(List.of("evaluate", "--run=/r/students/erm", "--data=/r/data", "--split=all"),
                List.of("evaluate", "--run=/r/students/erm", "--data=/r/data", "--split=all", "--model=best")),
                byName.get("evaluate/students/erm").commands());
        assertEquals(List.of("report", "/r"), byName.get("report").commands().get(0));
        assertEquals(5, byName.get("report").upstream().size());
        assertEquals("students-dedier.json", byName.get("students/dedier").recordName());
    }

    @Test
    void noTeacherPassWithoutDistillationAndNoPrepareForAPreparedTable() {
        PipelineSpec s = spec("students.methods=erm,sifer", "data=/prepared", "report=false");
        List<Stage> stages = StagePlan.of(s, "/r");
        assertEquals(List.of("teacher", "students/erm", "students/sifer", "evaluate/teacher", "evaluate/students/erm",
                "evaluate/students/sifer"), stages.stream().map(Stage::name).toList());
        assertEquals(List.of("/prepared"), stages.get(0).inputs());
        assertEquals(List.of(), stages.get(0).upstream());
        assertNull(PipelineSpec.parse(CONFIG, "p", List.of()).data());
    }

    @Test
    void prepareInputsAreTheRawFolders() {
        PipelineSpec s = spec("prepare.dataset=dominoes", "prepare.mnist=/m", "prepare.fashion=/f");
        assertEquals(List.of("/m", "/f"), StagePlan.of(s, "/r").get(0).inputs());
    }
}
