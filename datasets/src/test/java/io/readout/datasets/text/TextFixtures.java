package io.readout.datasets.text;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Tiny text benchmarks in their released layouts, written by tests: WILDS' CivilComments CSV
 * (pandas-written: unnamed index column, quoted cells with commas, doubled quotes and line
 * breaks, empty identity cells) and MultiNLI 1.0's three jsonl files with group DRO's
 * {@code metadata_random.csv}.
 */
public final class TextFixtures {
    /** The Jigsaw columns WILDS keeps, in the release's order, then the identity groupings WILDS adds. */
    public static final String CIVIL_HEADER = ",id,comment_text,split,created_date,publication_id,parent_id,"
            + "article_id,rating,funny,wow,sad,likes,disagree,toxicity,severe_toxicity,obscene,sexual_explicit,"
            + "identity_attack,insult,threat,male,female,transgender,other_gender,heterosexual,"
            + "homosexual_gay_or_lesbian,bisexual,other_sexual_orientation,christian,jewish,muslim,hindu,buddhist,"
            + "atheist,other_religion,black,white,asian,latino,other_race_or_ethnicity,physical_disability,"
            + "intellectual_or_learning_disability,psychiatric_or_mental_illness,other_disability,"
            + "identity_annotator_count,toxicity_annotator_count,LGBTQ,other_religions,asian_latino_etc,"
            + "disability_any,identity_any,num_identities,more_than_one_identity,na_gender,na_orientation,"
            + "na_religion,na_race,na_disability";
    private static final String[] COLUMNS = CIVIL_HEADER.split(",", -1);

    /**
     * One comment: id, text (raw, quoted here as pandas quotes it), split, toxicity as written, and the
     * WILDS identity cells by name (missing names: empty cells, i.e. not annotated).
     */
    public record Comment(int id, String text, String split, String toxicity, String... identities) {
    }

    /**
     * 18 comments, 6 per split, every split holding all 4 (label, any identity) groups; awkward cells throughout.
     * Expected: label = toxicity >= 0.5; attribute = any WILDS identity >= 0.5.
     */
    public static final List<Comment> COMMENTS = List.of(
        // train: (0,0) x2, (0,1), (1,0), (1,1) x2
        new Comment(101, "Plain comment, with a comma", "train", "0.0"),
        new Comment(102, "She said \"hello\", then left.", "train", "0.2", "female", "0.4"),
        new Comment(103, "Line one\nline two, still the same comment", "train", "0.1", "muslim", "0.5"),
        new Comment(104, "Naïve café — “quotes” 😀", "train", "0.5"),
        new Comment(105, "", "train", "0.9", "black", "1.0", "white", "0.0"),
        new Comment(106, "Multiple\r\nlines\n\nand \"\"doubled\"\" quotes", "train", "0.66", "LGBTQ", "0.75"),
        // val: (0,0), (0,1), (1,0), (1,1), (0,0), (1,1)
        new Comment(201, "val neutral", "val", "0.3", "male", "0.2", "christian", "0.1"),
        new Comment(202, "val identity", "val", "0.0", "other_religions", "0.6"),
        new Comment(203, "val toxic", "val", "0.7"),
        new Comment(204, "val toxic, identity", "val", "0.8", "christian", "0.5"),
        new Comment(205, "Ωmega, \"quoted\"", "val", "0.49999"),
        new Comment(206, "val again", "val", "1", "male", "1"),
        // test: (0,0), (0,1), (1,0), (1,1), (1,0) with a non-WILDS identity only, (0,1)
        new Comment(301, "test a", "test", "0.25"),
        new Comment(302, "test b", "test", "0.1", "white", "0.9"),
        new Comment(303, "test c\n", "test", "0.6"),
        new Comment(304, "test d", "test", "0.55", "female", "0.5", "male", "0.5"),
        new Comment(305, "jewish only: not one of WILDS' eight", "test", "0.95", "jewish", "1.0"),
        new Comment(306, "test f", "test", "0.0", "muslim", "0.6"));

    private TextFixtures() {
    }

    /** The WILDS folder with {@code all_data_with_identities.csv} holding {@code comments}. */
    public static Path civilComments(Path root, List<Comment> comments) throws IOException {
        Files.createDirectories(root);
        Files.write(root.resolve(CivilCommentsSource.FILE), civilLines(comments), StandardCharsets.UTF_8);
        return root;
    }

    /** The file's lines: header, then one CSV record per comment (possibly spanning lines). */
    public static List<String> civilLines(List<Comment> comments) {
        List<String> lines = new ArrayList<>(List.of(CIVIL_HEADER));
        for (int i = 0; i < comments.size(); i++) {
            lines.add(civilRecord(i, comments.get(i)));
        }
        return lines;
    }

    /** One record as pandas writes it: quotes only where a cell holds a comma, quote or line break. */
    public static String civilRecord(int index, Comment c) {
        String[] cells = new String[COLUMNS.length];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = "";
        }
        cells[0] = String.valueOf(index);
        set(cells, "id", String.valueOf(c.id()));
        set(cells, "comment_text", quote(c.text()));
        set(cells, "split", c.split());
        set(cells, "toxicity", c.toxicity());
        set(cells, "created_date", "2016-01-0" + (1 + index % 9) + " 12:00:00.000000+00");
        set(cells, "rating", "approved");
        for (int i = 0; i + 1 < c.identities().length; i += 2) {
            set(cells, c.identities()[i], c.identities()[i + 1]);
        }
        return String.join(",", cells);
    }

    private static void set(String[] cells, String column, String value) {
        for (int i = 0; i < COLUMNS.length; i++) {
            if (COLUMNS[i].equals(column)) {
                cells[i] = value;
                return;
            }
        }
        throw new IllegalArgumentException("no column " + column);
    }

    static String quote(String text) {
        boolean needs = text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r");
        return needs ? "\"" + text.replace("\"", "\"\"") + "\"" : text;
    }

    // ---- MultiNLI ------------------------------------------------------------------------------

    /** One pair as the release's jsonl holds it (the fields this reader uses, plus genre and promptID). */
    public record Pair(String pairId, String gold, String premise, String hypothesis) {
        String json() {
            return "{\"annotator_labels\": [\"" + gold + "\"], \"genre\": \"fiction\", \"gold_label\": "
                    + jsonString(gold) + ", \"pairID\": " + jsonString(pairId) + ", \"promptID\": "
                    + jsonString(pairId.replaceAll("[a-z]$", "")) + ", \"sentence1\": " + jsonString(premise)
                    + ", \"sentence1_binary_parse\": \"( x )\", \"sentence2\": " + jsonString(hypothesis)
                    + ", \"sentence2_parse\": \"(ROOT (S x))\"}";
        }
    }

    /** Minimal JSON string escaping: quotes, backslashes and control characters. */
    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> b.append(ch < 0x20 ? String.format("\\u%04x", (int) ch) : String.valueOf(ch));
            }
        }
        return b.append('"').toString();
    }

    /** train: 12 pairs, one without gold label; negation cases that group DRO's tokenization decides. */
    public static final List<Pair> TRAIN = List.of(
        new Pair("1e", "entailment", "A man sleeps.", "Nobody is awake."),
        new Pair("1n", "neutral", "A man sleeps.", "He is tired, no doubt."),
        new Pair("1c", "contradiction", "A man sleeps.", "He never sleeps."),
        new Pair("2e", "entailment", "Kids play \"tag\".", "Children play."),
        new Pair("2n", "neutral", "Kids play.", "They don't stop."),
        new Pair("2c", "contradiction", "Kids play.", "NOTHING happens!"),
        new Pair("3e", "entailment", "Café au lait — “naïve”.", "There is coffee."),
        new Pair("3n", "neutral", "Two dogs.", "No-one owns them."),
        new Pair("3c", "contradiction", "Two dogs.", "There are no dogs."),
        new Pair("4e", "-", "Ambiguous premise.", "No agreement here."),
        new Pair("4n", "neutral", "Snow falls.", "Nobody's out."),
        new Pair("4c", "contradiction", "Snow falls.", "It is not snowing, I know."));
    /** dev matched: 6 pairs, one without gold label. */
    public static final List<Pair> DEV_MATCHED = List.of(
        new Pair("5e", "entailment", "A cat.", "An animal."),
        new Pair("5n", "neutral", "A cat.", "The cat, no, the kitten."),
        new Pair("5c", "contradiction", "A cat.", "Never a cat."),
        new Pair("6e", "-", "Hmm.", "Nothing."),
        new Pair("6n", "neutral", "Rain.", "It rains\ttoday."),
        new Pair("6c", "contradiction", "Rain.", "no rain"));
    /** dev mismatched: 6 pairs, all labelled. */
    public static final List<Pair> DEV_MISMATCHED = List.of(
        new Pair("7e", "entailment", "Sun.", "It is bright."),
        new Pair("7n", "neutral", "Sun.", "Nothing but sun, no?"),
        new Pair("7c", "contradiction", "Sun.", "It is dark."),
        new Pair("8e", "entailment", "Wind.", "Air moves."),
        new Pair("8n", "neutral", "Wind.", "A never-ending breeze."),
        new Pair("8c", "contradiction", "Wind.", "There is no wind at all."));

    /** Expected attribute of each pair by pairID (group DRO's tokenization, checked by hand). */
    public static boolean negated(String pairId) {
        return List.of("1e", "1n", "1c", "2c", "3c", "4e", "5n", "5c", "6e", "6c", "7n", "8c").contains(pairId);
    }

    /** The release folder: the three jsonl files (with a trailing newline, as released). */
    public static Path multiNli(Path root) throws IOException {
        Files.createDirectories(root);
        writePairs(root.resolve(MultiNliSource.TRAIN), TRAIN);
        writePairs(root.resolve(MultiNliSource.DEV_MATCHED), DEV_MATCHED);
        writePairs(root.resolve(MultiNliSource.DEV_MISMATCHED), DEV_MISMATCHED);
        return root;
    }

    public static void writePairs(Path file, List<Pair> pairs) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Pair p : pairs) {
            lines.add(p.json());
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    /** All pairs in the order group DRO numbers them: train, dev matched, dev mismatched. */
    public static List<Pair> allPairs() {
        List<Pair> all = new ArrayList<>(TRAIN);
        all.addAll(DEV_MATCHED);
        all.addAll(DEV_MISMATCHED);
        return all;
    }

    /** group DRO's split of the pair at a position: deterministic here, every split holding every group. */
    public static int groupDroSplit(int position) {
        return position % 3 == 0 ? 0 : position % 3 == 1 ? 1 : 2;
    }

    /**
     * {@code metadata_random.csv} as group DRO's script writes it with pandas: the kept rows' positions as an
     * unnamed index, group DRO's label numbers, the negation flag, the split code.
     */
    public static List<String> groupDroMetadataLines() {
        List<String> lines = new ArrayList<>(List.of(",gold_label,sentence2_has_negation,split"));
        List<Pair> all = allPairs();
        for (int i = 0; i < all.size(); i++) {
            Pair p = all.get(i);
            if (p.gold().equals("-")) {
                continue;
            }
            lines.add(i + "," + MultiNliSource.LABELS.indexOf(p.gold()) + "," + (negated(p.pairId()) ? 1 : 0) + ","
                    + groupDroSplit(i));
        }
        return lines;
    }

    public static Path groupDroMetadata(Path root, List<String> lines) throws IOException {
        Files.write(root.resolve(MultiNliSource.GROUP_DRO_METADATA), lines, StandardCharsets.UTF_8);
        return root;
    }

    /** The release folder with group DRO's split file. */
    public static Path multiNliWithGroupDroSplit(Path root) throws IOException {
        return groupDroMetadata(multiNli(root), groupDroMetadataLines());
    }
}
