package io.readout.jobs.pipeline;

import io.readout.common.BadInputException;
import io.readout.jobs.run.PipelineRoot;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineSpecTest {
    private static final String CONFIG = """
            {"out": "/r", "seed": 3,
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
        assertEquals("/r", s.out());
        assertEquals(3, s.seed());
        assertEquals(List.of("erm", "kd", "dedier", "sifer"), s.methods());
        assertEquals(Map.of("dataset", "synthetic", "n-train", "200"), s.flags(PipelineSpec.PREPARE));
        assertEquals(Map.of("batch", "32"), s.flags(PipelineSpec.STUDENTS));
        assertEquals(Map.of("forget-every", "0", "aux-lr", "0.001"), s.methodFlags("sifer"));
        assertTrue(s.reports());

        PipelineSpec o = spec("out=/elsewhere", "students.methods=erm,jtt", "train.epochs=5",
                "methods.sifer.forget-lr=1e-3", "report=false", "evaluate.batch=64", "prepare.n-train=null");
        assertEquals("/elsewhere", o.out());
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
                {"out": "r", "data": "/d", "prepare": {}, "train": {"on": true, "off": false, "ids": [1, 2]}}""",
                "p.json", List.of());
        assertEquals(Map.of("on", "", "ids", "1,2"), s.flags(PipelineSpec.TRAIN));
        assertEquals("/d", s.data());
        assertEquals(List.of(), s.methods());
    }

    @Test
    void badConfigsNameTheKey() {
        assertEquals("p.json: unknown key 'studnets' (known: out, seed, seeds, data_seed, data, prepare, featurize, train,"
                + " teacher, teacher_probs, students, methods, evaluate, report, retrain)", bad("{\"out\": \"r\", \"studnets\": {}}"));
        assertEquals("p.json: no output folder (set \"out\" or pass --out)", bad("{\"prepare\": {\"dataset\": \"x\"}}"));
        assertEquals("p.json: neither data (a prepared table) nor a prepare section", bad("{\"out\": \"r\"}"));
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
        assertTrue(bad("{\"out\": [1]}").contains("no output folder"));
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
        Map<String, Stage> byName = new HashMap<>();
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
        assertEquals(List.of("report", "--run=/r"), byName.get("report").commands().get(0));
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
    void aTextDatasetIsFeaturizedBeforeTheRunsReadIt() {
        PipelineSpec s = spec("prepare.dataset=civilcomments", "prepare.source=/cc", "prepare.n-train=null",
                "students.methods=erm", "report=false");
        Map<String, Stage> stages = byName(StagePlan.of(s, "/r"));
        assertEquals(List.of(List.of("featurize", "--data=/r/data", "--out=/r/features")),
                stages.get("features").commands());
        assertEquals(List.of("prepare"), stages.get("features").upstream());
        assertEquals(List.of(), stages.get("features").inputs());
        assertTrue(stages.get("teacher").commands().get(0).contains("--data=/r/features"));
        assertEquals(List.of("features"), stages.get("teacher").upstream());

        // A prepared text table shared by every seed is featurized once, with the section's flags.
        PipelineSpec shared = spec("prepare=null", "data=/text", "featurize.input=tokens", "seed=null", "seeds=0,1",
                "students.methods=erm", "report=false");
        List<Stage> plan = StagePlan.of(shared, "/r");
        assertEquals(1, plan.stream().filter(st -> st.name().endsWith("features")).count());
        assertEquals(List.of("featurize", "--input=tokens", "--data=/text", "--out=/r/features"),
                byName(plan).get("features").commands().get(0));
        assertTrue(byName(plan).get("seed=1/teacher").commands().get(0).contains("--data=/r/features"));
        // featurize=false turns it off; image datasets have none.
        assertFalse(spec("prepare.dataset=civilcomments", "featurize=false").featurizes());
        assertFalse(spec().featurizes());
    }

    @Test
    void prepareInputsAreTheRawFolders() {
        PipelineSpec s = spec("prepare.dataset=dominoes", "prepare.mnist=/m", "prepare.fashion=/f");
        assertEquals(List.of("/m", "/f"), StagePlan.of(s, "/r").get(0).inputs());
    }

    @Test
    void aSeedListComesFromTheConfigOrFromSetAndNullRemovesAKey() {
        PipelineSpec single = spec();
        assertFalse(single.hasSeedList());
        assertEquals(List.of(3L), single.seeds());
        assertNull(single.dataSeed());

        PipelineSpec list = spec("seed=null", "seeds=0,1,2", "data_seed=7");
        assertTrue(list.hasSeedList());
        assertEquals(List.of(0L, 1L, 2L), list.seeds());
        assertEquals(7L, list.dataSeed());
        assertFalse(list.toJson().has("seed"), "=null takes the key out");
        assertEquals(List.of(5L, 2L), PipelineSpec.parse(CONFIG.replace("\"seed\": 3", "\"seeds\": [5, 2]"), "p.json",
                List.of()).seeds());
        assertEquals(List.of(4L), spec("seed=null", "seeds=4").seeds());
    }

    @Test
    void badSeedListsAreRefusedNamingTheKey() {
        assertEquals("p.json: seed and seeds: give one (seed: one seed; seeds: a list of them)",
                bad(CONFIG, "seeds=0,1"));
        String noSeed = CONFIG.replace("\"seed\": 3,", "");
        assertEquals("p.json: seeds: the list is empty; give at least one seed", bad(noSeed.replace("\"out\": \"/r\"",
                "\"out\": \"/r\", \"seeds\": []")));
        assertEquals("p.json: seeds: seed 1 is given twice", bad(noSeed, "seeds=0,1,1"));
        assertEquals("p.json: seeds: seed -2 is negative", bad(noSeed, "seeds=0,-2"));
        assertEquals("p.json: seeds must be a list of integers, got 0,x", bad(noSeed, "seeds=0,x"));
        assertEquals("p.json: seeds must be a list of integers, got [0, 1.5]",
                bad(noSeed.replace("\"out\": \"/r\"", "\"out\": \"/r\", \"seeds\": [0, 1.5]")));
        assertEquals("p.json: data_seed must be an integer >= 0, got -1", bad(CONFIG, "data_seed=-1"));
        assertEquals("p.json: data_seed must be an integer >= 0, got x", bad(CONFIG, "data_seed=x"));
        assertEquals("p.json: data_seed: the data is already prepared (data), there is no prepare stage to seed",
                bad(CONFIG, "data_seed=1", "data=/prepared"));
        assertEquals("--seeds: seed 2 is given twice",
                assertThrows(BadInputException.class, () -> PipelineRoot.checkSeeds(List.of(2L, 2L), "--seeds"))
                        .getMessage());
    }

    private static List<String> names(List<Stage> stages) {
        return stages.stream().map(Stage::name).toList();
    }

    private static Map<String, Stage> byName(List<Stage> stages) {
        Map<String, Stage> m = new HashMap<>();
        stages.forEach(s -> m.put(s.name(), s));
        return m;
    }

    @Test
    void aSeedListRunsEachSeedUnderItsFolderThenTheAggregateAndOneReport() {
        List<Stage> stages = StagePlan.of(spec("seed=null", "seeds=4,1", "students.methods=erm,kd"), "/r");
        List<String> perSeed = List.of("prepare", "teacher", "teacher-probs", "students/erm", "students/kd",
                "evaluate/teacher", "evaluate/students/erm", "evaluate/students/kd");
        List<String> expected = new ArrayList<>();
        perSeed.forEach(n -> expected.add("seed=4/" + n));
        perSeed.forEach(n -> expected.add("seed=1/" + n));
        expected.addAll(List.of("aggregate", "report"));
        assertEquals(expected, names(stages));
        Map<String, Stage> s = byName(stages);
        // Each seed prepares its own data with its own seed, and every run of that seed takes it.
        assertEquals(List.of("prepare", "--dataset=synthetic", "--n-train=200", "--out=/r/seed=1/data", "--seed=1"),
                s.get("seed=1/prepare").commands().get(0));
        assertEquals(List.of("train", "--method=kd", "--arch=student", "--epochs=2", "--lr=0.01", "--temperature=4",
                "--batch=32", "--data=/r/seed=1/data", "--out=/r/seed=1/students/kd", "--seed=1",
                "--teacher=/r/seed=1/teacher", "--teacher-probs=/r/seed=1/teacher-probs"),
                s.get("seed=1/students/kd").commands().get(0));
        assertEquals(List.of("seed=1/prepare", "seed=1/teacher", "seed=1/teacher-probs"), s.get("seed=1/students/kd").upstream());
        assertEquals(List.of("evaluate", "--run=/r/seed=4/teacher", "--data=/r/seed=4/data", "--split=all"),
                s.get("seed=4/evaluate/teacher").commands().get(0));
        // Records: each seed's under its own stages/, the shared ones under the root's.
        assertEquals("seed=4", s.get("seed=4/students/erm").scope());
        assertEquals("seed=4/stages/students-erm.json", s.get("seed=4/students/erm").recordPath());
        assertEquals("stages/aggregate.json", s.get("aggregate").recordPath());
        // The aggregate's hash covers the seed list (its command) and every seed's evaluations (upstream).
        Stage aggregate = s.get("aggregate");
        assertEquals(List.of(List.of("aggregate", "--run=/r", "--seeds=4,1")), aggregate.commands());
        assertEquals(Stage.Kind.AGGREGATE, aggregate.kind());
        assertEquals("/r/aggregate", aggregate.output());
        assertEquals(names(stages).stream().filter(n -> n.contains("/evaluate/")).toList(), aggregate.upstream());
        assertEquals(6, aggregate.upstream().size());
        assertEquals(List.of("report", "--run=/r"), s.get("report").commands().get(0));
        assertEquals("aggregate", s.get("report").upstream().get(0));
        assertEquals(7, s.get("report").upstream().size());
    }

    @Test
    void dataSeedPreparesOnceForEverySeedAndPreparedDataIsShared() {
        List<Stage> shared = StagePlan.of(spec("seed=null", "seeds=0,1", "students.methods=erm", "data_seed=9",
                "report=false"), "/r");
        assertEquals(List.of("prepare", "seed=0/teacher", "seed=0/students/erm", "seed=0/evaluate/teacher",
                "seed=0/evaluate/students/erm", "seed=1/teacher", "seed=1/students/erm", "seed=1/evaluate/teacher",
                "seed=1/evaluate/students/erm", "aggregate"), names(shared));
        Map<String, Stage> s = byName(shared);
        assertEquals(List.of("prepare", "--dataset=synthetic", "--n-train=200", "--out=/r/data", "--seed=9"),
                s.get("prepare").commands().get(0));
        assertEquals("stages/prepare.json", s.get("prepare").recordPath());
        assertEquals(List.of("train", "--method=erm", "--arch=student", "--epochs=2", "--lr=0.01", "--batch=32",
                "--data=/r/data", "--out=/r/seed=1/students/erm", "--seed=1"), s.get("seed=1/students/erm").commands().get(0));
        assertEquals(List.of("prepare"), s.get("seed=1/teacher").upstream());

        List<Stage> prepared = StagePlan.of(spec("seed=null", "seeds=0,1", "students.methods=erm", "data=/d",
                "report=false"), "/r");
        assertEquals(List.of("seed=0/teacher", "seed=0/students/erm", "seed=0/evaluate/teacher",
                "seed=0/evaluate/students/erm", "seed=1/teacher", "seed=1/students/erm", "seed=1/evaluate/teacher",
                "seed=1/evaluate/students/erm", "aggregate"), names(prepared));
        assertEquals(List.of("/d"), byName(prepared).get("seed=1/students/erm").inputs());
        assertTrue(byName(prepared).get("seed=1/students/erm").commands().get(0).contains("--data=/d"));

        // One seed without a list keeps the single-seed layout; data_seed then seeds its prepare alone.
        List<Stage> single = StagePlan.of(spec("data_seed=9", "students.methods=erm"), "/r");
        assertEquals(List.of("prepare", "teacher", "students/erm", "evaluate/teacher", "evaluate/students/erm",
                "report"), names(single));
        assertEquals("--seed=9", single.get(0).commands().get(0).get(4));
        assertEquals("--seed=3", single.get(1).commands().get(0).get(7));
        assertEquals("stages/teacher.json", single.get(1).recordPath());
    }
}
