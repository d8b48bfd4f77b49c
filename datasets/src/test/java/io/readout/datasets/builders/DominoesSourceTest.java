package io.readout.datasets.builders;

import io.readout.common.BadInputException;
import io.readout.datasets.Example;
import io.readout.datasets.Split;
import io.readout.datasets.TestData;
import io.readout.datasets.idx.IdxFolder;
import io.readout.datasets.io.HadoopInputs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dominoes construction, checked on the real IDX files. */
class DominoesSourceTest {
    private static List<Example> examples;
    private static IdxFolder.Pair mnist;
    private static IdxFolder.Pair fashionTrain;
    private static IdxFolder.Pair fashionTest;

    @BeforeAll
    static void build() {
        HadoopInputs inputs = HadoopInputs.local();
        examples = new DominoesSource(inputs, TestData.mnist(), TestData.fashion(), 0.95, 1000, 0).build();
        mnist = new IdxFolder(inputs, TestData.mnist(), "--mnist").read(IdxFolder.Part.SINGLE);
        IdxFolder fashion = new IdxFolder(inputs, TestData.fashion(), "--fashion");
        fashionTrain = fashion.read(IdxFolder.Part.TRAIN);
        fashionTest = fashion.read(IdxFolder.Part.T10K);
    }

    @Test
    void countsPerSplitAndGroupAreTheBenchmarkSpec() {
        Map<String, Integer> counts = new HashMap<>();
        for (Example e : examples) {
            counts.merge(e.split().column() + "/" + e.group(), 1, Integer::sum);
        }
        // train: 5,000 per class, round(0.95 * 5000) = 4,750 agree; val and test balanced.
        assertEquals(Map.ofEntries(
                Map.entry("train/0", 4750), Map.entry("train/1", 250), Map.entry("train/2", 250), Map.entry("train/3", 4750),
                Map.entry("val/0", 500), Map.entry("val/1", 500), Map.entry("val/2", 500), Map.entry("val/3", 500),
                Map.entry("test/0", 500), Map.entry("test/1", 500), Map.entry("test/2", 500), Map.entry("test/3", 500)),
                counts);
    }

    @Test
    void topIsADigitOfTheAttributeAndBottomAGarmentOfTheLabel() {
        Map<String, Integer> digitIndex = new HashMap<>();
        for (int i = 0; i < mnist.count(); i++) {
            digitIndex.putIfAbsent(Arrays.toString(mnist.images().image(i)), i);
        }
        for (int k = 0; k < examples.size(); k += 97) {
            Example e = examples.get(k);
            assertEquals(56 * 28, e.image().length);
            byte[] top = Arrays.copyOfRange(e.image(), 0, 784);
            byte[] bottom = Arrays.copyOfRange(e.image(), 784, 1568);
            Integer d = digitIndex.get(Arrays.toString(top));
            assertTrue(d != null, "top of " + e.id() + " is an MNIST image");
            assertEquals(e.attribute().intValue(), mnist.labels().label(d), "digit of " + e.id());
            IdxFolder.Pair source = e.split() == Split.TEST ? fashionTest : fashionTrain;
            int f = Integer.parseInt(e.id().replaceAll("^[a-z]+-(train|t10k)(\\d{5})-.*$", "$2"));
            assertArrayEquals(source.images().image(f), bottom, "garment of " + e.id());
            assertEquals(e.label() == 0 ? DominoesSource.DRESS : DominoesSource.COAT, source.labels().label(f));
            assertEquals(2 * e.label() + e.attribute(), e.group().intValue());
        }
    }

    @Test
    void valHoldoutDisjointFromTrainAndNoDigitSharedByTrainAndTest() {
        Set<String> trainGarments = new HashSet<>();
        Set<String> trainDigits = new HashSet<>();
        Set<String> testDigits = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (Example e : examples) {
            assertTrue(ids.add(e.id()), "unique id " + e.id());
            String garment = e.id().replaceAll("^[a-z]+-((train|t10k)\\d{5})-.*$", "$1");
            String digit = e.id().replaceAll("^.*-m(\\d{5})$", "$1");
            if (e.split() == Split.TRAIN) {
                trainGarments.add(garment);
                trainDigits.add(digit);
            } else if (e.split() == Split.TEST) {
                testDigits.add(digit);
            }
        }
        for (Example e : examples) {
            if (e.split() == Split.VAL) {
                String garment = e.id().replaceAll("^[a-z]+-((train|t10k)\\d{5})-.*$", "$1");
                assertTrue(!trainGarments.contains(garment), "val garment " + garment + " not in train");
            }
        }
        Set<String> shared = new HashSet<>(trainDigits);
        shared.retainAll(testDigits);
        assertEquals(Set.of(), shared);
    }

    @Test
    void sameSeedSameExamplesOtherSeedOthers() {
        HadoopInputs inputs = HadoopInputs.local();
        List<Example> again = new DominoesSource(inputs, TestData.mnist(), TestData.fashion(), 0.95, 1000, 0).build();
        assertEquals(examples.size(), again.size());
        for (int k = 0; k < examples.size(); k++) {
            assertEquals(examples.get(k).id(), again.get(k).id());
            assertArrayEquals(examples.get(k).image(), again.get(k).image());
        }
        List<Example> other = new DominoesSource(inputs, TestData.mnist(), TestData.fashion(), 0.95, 1000, 1).build();
        assertNotEquals(examples.stream().map(Example::id).toList(), other.stream().map(Example::id).toList());
    }

    @Test
    void harsherRhoMovesOnlyTheTrainAgreement() {
        List<Example> harsh = new DominoesSource(HadoopInputs.local(), TestData.mnist(), TestData.fashion(), 0.99,
                1000, 0).build();
        long minority = harsh.stream().filter(e -> e.split() == Split.TRAIN && e.label() != e.attribute()).count();
        assertEquals(2 * 50, minority); // 5000 - round(0.99 * 5000) per class
    }

    @Test
    void aSmallerTrainingSplitKeepsTheSplitsAndTheAgreement() {
        List<Example> small = new DominoesSource(HadoopInputs.local(), TestData.mnist(), TestData.fashion(), 0.95, 1000,
                1000, 0).build();
        for (int y = 0; y < 2; y++) {
            int label = y;
            List<Example> train = small.stream().filter(e -> e.split() == Split.TRAIN && e.label() == label).toList();
            assertEquals(1000, train.size());
            assertEquals(950, train.stream().filter(e -> e.attribute() == label).count(), "round(0.95 * 1000) agree");
        }
        // val is the same hold-out as the full benchmark's (the same images; the digits on them are drawn anew)
        assertEquals(examples.stream().filter(e -> e.split() == Split.VAL).map(e -> e.id().substring(0, e.id().indexOf("-m"))).toList(),
                small.stream().filter(e -> e.split() == Split.VAL).map(e -> e.id().substring(0, e.id().indexOf("-m"))).toList());
        assertEquals(2000, small.stream().filter(e -> e.split() == Split.TEST).count());
        BadInputException tooMany = assertThrows(BadInputException.class, () -> new DominoesSource(HadoopInputs.local(),
                TestData.mnist(), TestData.fashion(), 0.95, 1000, 6000, 0).build());
        assertEquals("--n-train 12000: class 3 has only 5000 training images after the 1000 held out for val",
                tooMany.getMessage().replace(TestData.fashion(), "F"));
    }

    @Test
    void rhoOutsideTheUnitIntervalIsRefused() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> new DominoesSource(HadoopInputs.local(), TestData.mnist(), TestData.fashion(), 1.5, 1000, 0));
        assertEquals("--rho 1.5 is outside [0, 1]", e.getMessage());
    }
}
