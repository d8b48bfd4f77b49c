package io.readout.datasets.text;

import io.readout.common.BadInputException;
import io.readout.datasets.Split;
import io.readout.datasets.text.SyntheticComments.Options;
import io.readout.datasets.text.SyntheticComments.SplitCounts;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyntheticCommentsTest {
    private static final Options DEFAULTS = options(SyntheticComments.DEFAULT_N_TRAIN, SyntheticComments.DEFAULT_RHO,
            0.0, 0);

    private static Options options(int nTrain, double rho, double noise, long seed) {
        return new Options(nTrain, SyntheticComments.DEFAULT_N_VAL, SyntheticComments.DEFAULT_N_TEST, rho, noise,
                SyntheticComments.DEFAULT_CORE_WORDS, 12, 30, seed);
    }

    /** The comment's words, lower case, split at anything but letters and the ASCII apostrophe. */
    private static Set<String> tokens(SyntheticComment c) {
        return new HashSet<>(Arrays.asList(c.text().toLowerCase(Locale.ROOT).split("[^\\p{L}']+")));
    }

    private static boolean mentions(Set<String> tokens, List<String> words) {
        return words.stream().anyMatch(tokens::contains);
    }

    private static byte[] csv(List<SyntheticComment> comments) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WildsCommentsCsv.write(comments, out);
        return out.toByteArray();
    }

    @Test
    void countsPerSplitAndGroupFollowTheOptions() {
        Map<Split, SplitCounts> counts = SyntheticComments.counts(SyntheticComments.generate(DEFAULTS));
        assertEquals(new SplitCounts(3000, Map.of(0, 1425L, 1, 75L, 2, 75L, 3, 1425L), 0), counts.get(Split.TRAIN));
        assertEquals(new SplitCounts(600, Map.of(0, 150L, 1, 150L, 2, 150L, 3, 150L), 0), counts.get(Split.VAL));
        assertEquals(new SplitCounts(1200, Map.of(0, 300L, 1, 300L, 2, 300L, 3, 300L), 0), counts.get(Split.TEST));

        // Odd sizes: the toxic half is the larger; rho is met per class, rounded.
        Options odd = new Options(1001, 7, 9, 0.8, 0.1, 5, 2, 4, 3);
        Map<Split, SplitCounts> c = SyntheticComments.counts(SyntheticComments.generate(odd));
        assertEquals(new SplitCounts(1001, Map.of(0, 400L, 1, 100L, 2, 100L, 3, 401L), 100), c.get(Split.TRAIN));
        assertEquals(new SplitCounts(7, Map.of(0, 2L, 1, 1L, 2, 2L, 3, 2L), 0), c.get(Split.VAL));
        assertEquals(new SplitCounts(9, Map.of(0, 2L, 1, 2L, 2, 2L, 3, 3L), 1), c.get(Split.TEST));
    }

    @Test
    void trainAgreesAtRhoAndValAndTestAreIndependentOfTheLabel() {
        for (double rho : new double[] {0.5, 0.9, 0.99, 1.0}) {
            List<SyntheticComment> comments = SyntheticComments.generate(options(2000, rho, 0.0, 7));
            long train = comments.stream().filter(c -> c.split() == Split.TRAIN).count();
            long agree = comments.stream().filter(c -> c.split() == Split.TRAIN && c.attribute() == c.label()).count();
            assertEquals(rho, agree / (double) train, 1e-9, "rho " + rho);
            for (Split s : List.of(Split.VAL, Split.TEST)) {
                for (int y = 0; y < 2; y++) {
                    int label = y;
                    long inClass = comments.stream().filter(c -> c.split() == s && c.label() == label).count();
                    long mentioned = comments.stream()
                            .filter(c -> c.split() == s && c.label() == label && c.attribute() == 1).count();
                    assertEquals(inClass / 2, mentioned, s + " class " + y);
                }
            }
        }
    }

    @Test
    void sameSeedGivesTheSameBytesAndAnotherSeedOthers() throws IOException {
        byte[] a = csv(SyntheticComments.generate(DEFAULTS));
        assertArrayEquals(a, csv(SyntheticComments.generate(DEFAULTS)));
        assertFalse(Arrays.equals(a, csv(SyntheticComments.generate(options(3000, 0.95, 0.0, 1)))));
        String text = new String(a, StandardCharsets.UTF_8);
        assertTrue(text.startsWith(",id,comment_text,split,created_date,rating,toxicity,severe_toxicity,insult,male,"
                + "female,christian,muslim,black,white,identity_annotator_count,toxicity_annotator_count,LGBTQ,"
                + "other_religions,identity_any\n0,239000,"), text.substring(0, 300));
    }

    @Test
    void everyCommentHasCoreWordsOfItsClassUnlessNoisy() {
        Options noisy = options(2000, 0.95, 0.2, 5);
        List<SyntheticComment> comments = SyntheticComments.generate(noisy);
        List<String> toxic = CommentVocabulary.core(1, noisy.coreWords());
        List<String> civil = CommentVocabulary.core(0, noisy.coreWords());
        Map<String, Integer> noisyPerSplitClass = new HashMap<>();
        for (SyntheticComment c : comments) {
            Set<String> t = tokens(c);
            boolean toxicWords = c.label() == 1 ^ c.noisy();
            assertTrue(mentions(t, toxicWords ? toxic : civil), c.text());
            assertFalse(mentions(t, toxicWords ? CommentVocabulary.CIVIL_CORE : CommentVocabulary.TOXIC_CORE), c.text());
            if (c.noisy()) {
                noisyPerSplitClass.merge(c.split().column() + "/" + c.label(), 1, Integer::sum);
            }
        }
        assertEquals(Map.of("train/0", 200, "train/1", 200, "val/0", 60, "val/1", 60, "test/0", 120, "test/1", 120),
                noisyPerSplitClass);
        // Only the first --core-words words of a list are used.
        Set<String> used = new HashSet<>();
        comments.forEach(c -> used.addAll(tokens(c)));
        assertTrue(used.containsAll(toxic) && used.containsAll(civil));
        assertFalse(mentions(used, CommentVocabulary.TOXIC_CORE.subList(noisy.coreWords(), 40)));
    }

    @Test
    void anIdentityTermAppearsExactlyWhenTheAttributeIsOneAndItsColumnSaysSo() {
        List<String> allTerms = CommentVocabulary.IDENTITY_TERMS.values().stream().flatMap(List::stream).toList();
        Set<String> cellsOfUnmentioned = new HashSet<>();
        for (SyntheticComment c : SyntheticComments.generate(DEFAULTS)) {
            Set<String> t = tokens(c);
            assertEquals(c.attribute() == 1, mentions(t, allTerms), c.text());
            boolean anyColumn = false;
            for (Map.Entry<String, List<String>> e : CommentVocabulary.IDENTITY_TERMS.entrySet()) {
                String cell = c.identities().get(e.getKey());
                boolean high = !cell.isEmpty() && Double.parseDouble(cell) >= CivilCommentsSource.THRESHOLD;
                assertEquals(mentions(t, e.getValue()), high, e.getKey() + " '" + cell + "' in " + c.text());
                anyColumn |= high;
                if (c.attribute() == 0) {
                    cellsOfUnmentioned.add(cell);
                }
            }
            assertEquals(c.attribute() == 1, anyColumn);
            assertEquals(c.identities().get("male").isEmpty(), c.identityAnnotators() == 0);
        }
        assertTrue(cellsOfUnmentioned.containsAll(List.of("", "0.0", "0.25")), cellsOfUnmentioned.toString());
    }

    @Test
    void toxicityIsAVariedFractionOnTheLabelsSideOfTheThreshold() {
        Set<String> toxic = new HashSet<>();
        Set<String> civil = new HashSet<>();
        for (SyntheticComment c : SyntheticComments.generate(DEFAULTS)) {
            double v = Double.parseDouble(c.toxicity());
            assertTrue(c.label() == 1 ? v >= 0.5 && v <= 1.0 : v >= 0.0 && v <= 0.3, c.toxicity());
            (c.label() == 1 ? toxic : civil).add(c.toxicity());
        }
        assertTrue(toxic.containsAll(List.of("0.5", "0.666667", "0.8", "1.0")), toxic.toString());
        assertTrue(civil.containsAll(List.of("0.0", "0.166667", "0.25", "0.3")), civil.toString());
    }

    @Test
    void textsAreAwkwardButClean() {
        List<SyntheticComment> comments = SyntheticComments.generate(DEFAULTS);
        Map<String, Predicate<String>> touches = Map.of(
                "comma", t -> t.contains(","),
                "double quote", t -> t.contains("\""),
                "line break", t -> t.contains("\n"),
                "apostrophe", t -> t.contains("'"),
                "non-ASCII", t -> t.chars().anyMatch(ch -> ch > 127),
                "emoji", t -> t.contains("😀"));
        touches.forEach((name, has) -> {
            long n = comments.stream().filter(c -> has.test(c.text())).count();
            assertTrue(n >= 20, name + ": " + n + " comments");
        });
        for (SyntheticComment c : comments) {
            assertEquals(c.text().strip(), c.text());
            assertFalse(c.text().contains("\r"));
            assertTrue(c.text().matches("(?s)\\S.*[.?!]"), c.text());
        }
        List<Integer> ids = comments.stream().map(SyntheticComment::id).toList();
        assertEquals(ids.size(), new HashSet<>(ids).size());
    }

    @Test
    void cellsAreQuotedAsPandasQuotesThem() {
        assertEquals("plain text", WildsCommentsCsv.cell("plain text"));
        assertEquals("\"a, b\"", WildsCommentsCsv.cell("a, b"));
        assertEquals("\"She said \"\"hi\"\"\"", WildsCommentsCsv.cell("She said \"hi\""));
        assertEquals("\"two\nlines\"", WildsCommentsCsv.cell("two\nlines"));
        assertEquals("café 😀", WildsCommentsCsv.cell("café 😀"));
    }

    @Test
    void theVocabularyKeepsLabelAttributeAndFillerApart() {
        List<List<String>> sets = new ArrayList<>(List.of(CommentVocabulary.TOXIC_CORE, CommentVocabulary.CIVIL_CORE,
                CommentVocabulary.FILLER, CommentVocabulary.IDENTITY_TERMS.values().stream().flatMap(List::stream)
                        .toList()));
        Set<String> seen = new HashSet<>();
        int total = 0;
        for (List<String> words : sets) {
            for (String w : words) {
                assertTrue(w.matches("[a-z']+"), w);
            }
            seen.addAll(words);
            total += words.size();
        }
        assertEquals(total, seen.size(), "a word in two lists, or twice in one");
        assertEquals(CommentVocabulary.CORE_LIST_SIZE, CommentVocabulary.TOXIC_CORE.size());
        assertEquals(CommentVocabulary.CORE_LIST_SIZE, CommentVocabulary.CIVIL_CORE.size());
        assertEquals(CivilCommentsSource.WILDS_IDENTITIES, List.copyOf(CommentVocabulary.IDENTITY_TERMS.keySet()));
        assertTrue(CommentVocabulary.FILLER.size() >= 300);

        // Zipf: "the" (rank 1) about twice as often as "to" (rank 2), a hundred times as often as rank 100.
        Map<String, Integer> n = new HashMap<>();
        Random r = new Random(1);
        for (int i = 0; i < 200_000; i++) {
            n.merge(CommentVocabulary.filler(r), 1, Integer::sum);
        }
        assertEquals(2.0, n.get("the") / (double) n.get("to"), 0.1);
        assertEquals(100.0, n.get("the") / (double) n.get(CommentVocabulary.FILLER.get(99)), 25.0);
        assertTrue(n.containsKey(CommentVocabulary.FILLER.get(CommentVocabulary.FILLER.size() - 1)));
    }

    @Test
    void aHundredThousandCommentsAreGeneratedAndWritten() throws IOException {
        Options big = new Options(80_000, 10_000, 10_000, 0.95, 0.0, 24, 12, 30, 0);
        List<SyntheticComment> comments = SyntheticComments.generate(big);
        assertEquals(100_000, comments.size());
        byte[] bytes = csv(comments);
        assertTrue(bytes.length > 10_000_000 && bytes.length < 30_000_000, bytes.length + " bytes");
    }

    @Test
    void badOptionsAreOneLineNamingTheFlag() {
        assertEquals("--rho 1.5 is outside [0, 1]", refused(options(3000, 1.5, 0.0, 0)));
        assertEquals("--n-train 0 is outside [4, 1000000] (4: one comment per group)", refused(options(0, 0.95, 0, 0)));
        assertEquals("--noise 0.6 is outside [0, 0.5] (the fraction of comments whose core words come from the other"
                + " class)", refused(options(3000, 0.95, 0.6, 0)));
        assertEquals("--core-words 41 is outside [1, 40] (the words of each class's core list)",
                refused(new Options(8, 8, 8, 0.9, 0, 41, 12, 30, 0)));
        assertEquals("--length '30-12': expected MIN-MAX filler words per comment, with 2 <= MIN <= MAX <= 500",
                assertThrows(BadInputException.class, () -> Options.parseLength("30-12")).getMessage());
        assertThrows(BadInputException.class, () -> Options.parseLength("many"));
        assertArrayEquals(new int[] {12, 30}, Options.parseLength("12-30"));
        assertArrayEquals(new int[] {20, 20}, Options.parseLength("20"));
    }

    private static String refused(Options o) {
        return assertThrows(BadInputException.class, () -> SyntheticComments.generate(o)).getMessage();
    }
}
