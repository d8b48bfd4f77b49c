package io.readout.datasets.text;

import io.readout.common.BadInputException;
import io.readout.common.Seeds;
import io.readout.datasets.Split;
import io.readout.datasets.idx.IdxSplits;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A text analogue of the image {@code synthetic} dataset, in WILDS' CivilComments layout
 * ({@link WildsCommentsCsv}, read back by {@link CivilCommentsSource} unchanged): the label (toxic) rests on a
 * few sparse core words, the spurious attribute is an identity mentioned, and in train the two agree in a
 * fraction {@code rho} of the comments. Generated from the seed alone; the same options give the same comments.
 *
 * <p>The design, each piece a named constant:
 * <ul>
 *   <li>Classes: half of each split non-toxic (the smaller half when odd), half toxic. A toxic comment's
 *       {@code toxicity} is {@code m/k >= 0.5} of {@code k} annotators ({@link #ANNOTATORS}), a non-toxic one's
 *       {@code m/k <= } {@value #MAX_CIVIL_TOXICITY}.</li>
 *   <li>Core feature: one core word of the comment's class ({@link CommentVocabulary#core}, the first
 *       {@code coreWords} words of the list), a second one with {@value #P_SECOND_CORE_WORD}; in a fraction
 *       {@code noise} of each class (exactly rounded) the core words come from the other class's list.</li>
 *   <li>Attribute: in train, exactly {@code round(rho n)} of each class's {@code n} comments have
 *       {@code attribute = label} (toxic and mentioning an identity, or civil and mentioning none); in val and
 *       test exactly half of each class mention one, so the four groups are balanced. A mention is a term of
 *       {@link CommentVocabulary#IDENTITY_TERMS} for a uniformly drawn column, a second column with
 *       {@value #P_SECOND_IDENTITY}; each mentioned column's cell is a fraction {@code >= 0.5}.</li>
 *   <li>Identity annotation, as WILDS has it: a comment that mentions an identity is annotated; one that does
 *       not is annotated with {@value #P_ANNOTATED_WITHOUT_MENTION} (its identity cells {@code 0.0}, or with
 *       {@value #P_DISSENT} a fraction {@code <= } {@value #MAX_CIVIL_TOXICITY} from a dissenting annotator),
 *       otherwise its identity cells are empty.</li>
 *   <li>Text: {@code minWords..maxWords} filler words (uniform count, Zipf-drawn words), the core words and
 *       identity terms inserted inside, and the awkward touches of {@link CommentText}.</li>
 *   <li>The file: the three splits' comments shuffled together, ids {@value #FIRST_ID}, {@value #FIRST_ID} + 1, ...
 *       in file order.</li>
 * </ul>
 */
public final class SyntheticComments {
    public static final int DEFAULT_N_TRAIN = 3000;
    public static final int DEFAULT_N_VAL = 600;
    public static final int DEFAULT_N_TEST = 1200;
    public static final double DEFAULT_RHO = 0.95;
    public static final double DEFAULT_NOISE = 0.0;
    public static final int DEFAULT_CORE_WORDS = 24;
    public static final String DEFAULT_LENGTH = "12-30";
    /** The largest split: the comments are held in memory (under a kilobyte each) to be shuffled. */
    public static final int MAX_SPLIT = 1_000_000;
    /** Filler words per comment are at most this. */
    public static final int MAX_WORDS = 500;
    /** The highest {@code --noise}: beyond half, the core words would point to the other class. */
    public static final double MAX_NOISE = 0.5;

    /** The id of the file's first comment. */
    static final int FIRST_ID = 239_000;
    static final double P_SECOND_CORE_WORD = 0.3;
    static final double P_SECOND_IDENTITY = 0.1;
    static final double P_ANNOTATED_WITHOUT_MENTION = 0.5;
    static final double P_DISSENT = 0.1;
    static final double MAX_CIVIL_TOXICITY = 0.3;
    /** How many annotators rated a comment, drawn uniformly; the fractions are multiples of 1/k. */
    static final int[] ANNOTATORS = {4, 5, 6, 10};
    private static final List<String> IDENTITY_COLUMNS = List.copyOf(CommentVocabulary.IDENTITY_TERMS.keySet());

    /**
     * What to generate.
     *
     * @param coreWords words per class's core list, in [1, {@link CommentVocabulary#CORE_LIST_SIZE}]
     * @param minWords  filler words per comment, at least
     * @param maxWords  filler words per comment, at most
     */
    public record Options(int nTrain, int nVal, int nTest, double rho, double noise, int coreWords, int minWords,
                          int maxWords, long seed) {

        /** {@code --length} as written: {@code MIN-MAX} or one number. */
        public static int[] parseLength(String value) {
            String v = value == null ? "" : value.trim();
            try {
                String[] parts = v.split("-", -1);
                if (parts.length == 1 || parts.length == 2) {
                    int min = Integer.parseInt(parts[0].trim());
                    int max = Integer.parseInt(parts[parts.length - 1].trim());
                    if (min >= 2 && min <= max && max <= MAX_WORDS) {
                        return new int[] {min, max};
                    }
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new BadInputException("--length '" + value + "': expected MIN-MAX filler words per comment, with"
                    + " 2 <= MIN <= MAX <= " + MAX_WORDS);
        }

        /** Checks every field; returns this. */
        public Options validate() {
            requireSize("--n-train", nTrain);
            requireSize("--n-val", nVal);
            requireSize("--n-test", nTest);
            if (!(rho >= 0.0 && rho <= 1.0)) {
                throw new BadInputException("--rho " + rho + " is outside [0, 1]");
            }
            if (!(noise >= 0.0 && noise <= MAX_NOISE)) {
                throw new BadInputException("--noise " + noise + " is outside [0, " + MAX_NOISE
                        + "] (the fraction of comments whose core words come from the other class)");
            }
            if (coreWords < 1 || coreWords > CommentVocabulary.CORE_LIST_SIZE) {
                throw new BadInputException("--core-words " + coreWords + " is outside [1, "
                        + CommentVocabulary.CORE_LIST_SIZE + "] (the words of each class's core list)");
            }
            if (minWords < 2 || minWords > maxWords || maxWords > MAX_WORDS) {
                throw new BadInputException("--length " + minWords + "-" + maxWords + ": expected 2 <= MIN <= MAX <= "
                        + MAX_WORDS);
            }
            return this;
        }

        private static void requireSize(String flag, int n) {
            if (n < 4 || n > MAX_SPLIT) {
                throw new BadInputException(flag + " " + n + " is outside [4, " + MAX_SPLIT
                        + "] (4: one comment per group)");
            }
        }

        /** The comments of a split. */
        public int size(Split split) {
            return switch (split) {
                case TRAIN -> nTrain;
                case VAL -> nVal;
                case TEST -> nTest;
            };
        }

        /** As {@code generate.json} records them, by their flags' names. */
        public Map<String, Object> describe() {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("n_train", nTrain);
            d.put("n_val", nVal);
            d.put("n_test", nTest);
            d.put("rho", rho);
            d.put("noise", noise);
            d.put("core_words", coreWords);
            d.put("length", minWords + "-" + maxWords);
            d.put("seed", seed);
            return d;
        }
    }

    private SyntheticComments() {
    }

    /** The comments in file order, ids ascending. */
    public static List<SyntheticComment> generate(Options options) {
        options.validate();
        List<SyntheticComment> drafts = new ArrayList<>(options.nTrain() + options.nVal() + options.nTest());
        for (Split s : Split.values()) {
            drafts.addAll(split(options, s));
        }
        int[] order = Seeds.permutation(drafts.size(), random(options, "order"));
        List<SyntheticComment> out = new ArrayList<>(drafts.size());
        for (int i = 0; i < order.length; i++) {
            out.add(drafts.get(order[i]).withId(FIRST_ID + i));
        }
        return out;
    }

    /** One split's comments, non-toxic then toxic (ids still unset). */
    private static List<SyntheticComment> split(Options o, Split s) {
        int n = o.size(s);
        double agreement = s == Split.TRAIN ? o.rho() : 0.5;
        Random text = random(o, "text/" + s.column());
        List<SyntheticComment> out = new ArrayList<>(n);
        for (int y = 0; y < 2; y++) {
            int perClass = y == 0 ? n / 2 : n - n / 2;
            boolean[] agree = IdxSplits.exactAgreement(perClass, agreement, random(o, "agreement/" + s.column() + "/" + y));
            boolean[] noisy = IdxSplits.exactAgreement(perClass, o.noise(), random(o, "noise/" + s.column() + "/" + y));
            for (int k = 0; k < perClass; k++) {
                out.add(comment(o, s, y, agree[k] ? y : 1 - y, noisy[k], text));
            }
        }
        return out;
    }

    /** One comment of class {@code label}, mentioning an identity when {@code attribute} is 1. */
    static SyntheticComment comment(Options o, Split s, int label, int attribute, boolean noisy, Random r) {
        List<String> signal = new ArrayList<>(pick(CommentVocabulary.core(noisy ? 1 - label : label, o.coreWords()),
                r.nextDouble() < P_SECOND_CORE_WORD ? 2 : 1, r));
        List<String> mentioned = attribute == 1
                ? pick(IDENTITY_COLUMNS, r.nextDouble() < P_SECOND_IDENTITY ? 2 : 1, r)
                : List.of();
        for (String column : mentioned) {
            List<String> terms = CommentVocabulary.IDENTITY_TERMS.get(column);
            signal.add(terms.get(r.nextInt(terms.size())));
        }
        int length = o.minWords() + r.nextInt(o.maxWords() - o.minWords() + 1);
        List<String> filler = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            filler.add(CommentVocabulary.filler(r));
        }
        String text = CommentText.compose(filler, signal, r);

        int k = annotators(r);
        String toxicity = label == 1 ? fraction(k - r.nextInt(k - (k + 1) / 2 + 1), k)
                : fraction(r.nextInt((int) Math.floor(MAX_CIVIL_TOXICITY * k) + 1), k);
        boolean annotated = attribute == 1 || r.nextDouble() < P_ANNOTATED_WITHOUT_MENTION;
        int identityAnnotators = annotated ? annotators(r) : 0;
        Map<String, String> identities = new LinkedHashMap<>();
        for (String column : CivilCommentsSource.WILDS_IDENTITIES) {
            identities.put(column, !annotated ? "" : identityCell(mentioned.contains(column), identityAnnotators, r));
        }
        return new SyntheticComment(0, s, label, attribute, noisy, text, toxicity, k,
                Collections.unmodifiableMap(identities), identityAnnotators, createdDate(r));
    }

    /** A {@code created_date} in 2016, as the release writes it: {@code 2016-03-07 14:05:09.123456+00}. */
    private static String createdDate(Random r) {
        StringBuilder b = new StringBuilder(32).append("2016-");
        digits(b, 1 + r.nextInt(12), 2).append('-');
        digits(b, 1 + r.nextInt(28), 2).append(' ');
        digits(b, r.nextInt(24), 2).append(':');
        digits(b, r.nextInt(60), 2).append(':');
        digits(b, r.nextInt(60), 2).append('.');
        return digits(b, r.nextInt(1_000_000), 6).append("+00").toString();
    }

    /** {@code value} with leading zeros to {@code width} digits (String.format is slow for a million rows). */
    private static StringBuilder digits(StringBuilder b, int value, int width) {
        String v = Integer.toString(value);
        for (int i = v.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(v);
    }

    /** An annotated identity cell: a majority when mentioned, else {@code 0.0} or a dissenting minority. */
    private static String identityCell(boolean mentioned, int k, Random r) {
        if (mentioned) {
            return fraction(k - r.nextInt(k - (k + 1) / 2 + 1), k);
        }
        return r.nextDouble() < P_DISSENT ? fraction(1 + r.nextInt((int) Math.floor(MAX_CIVIL_TOXICITY * k)), k)
                : "0.0";
    }

    private static int annotators(Random r) {
        return ANNOTATORS[r.nextInt(ANNOTATORS.length)];
    }

    /** {@code m/k} as the file writes it: {@code 0.0}, {@code 1.0}, else at most 6 decimals ({@code 0.166667}). */
    static String fraction(int m, int k) {
        if (m == 0) {
            return "0.0";
        }
        if (m == k) {
            return "1.0";
        }
        return BigDecimal.valueOf(m).divide(BigDecimal.valueOf(k), 6, RoundingMode.HALF_UP).stripTrailingZeros()
                .toPlainString();
    }

    /** {@code count} distinct items of {@code from}, in the order drawn. */
    private static List<String> pick(List<String> from, int count, Random r) {
        List<String> out = new ArrayList<>(count);
        while (out.size() < Math.min(count, from.size())) {
            String next = from.get(r.nextInt(from.size()));
            if (!out.contains(next)) {
                out.add(next);
            }
        }
        return out;
    }

    private static Random random(Options o, String purpose) {
        return Seeds.random(o.seed(), "civilcomments-generate/" + purpose);
    }

    /**
     * {@code generate.json}: the dataset it imitates, the file, the options and seed, the counts per split (total,
     * per group {@code 2 label + attribute}, noisy comments) and the vocabulary the signal comes from.
     */
    public static Map<String, Object> describe(Options options, List<SyntheticComment> comments) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("dataset", CivilCommentsSource.NAME);
        d.put("file", CivilCommentsSource.FILE);
        d.put("generator", "synthetic comments: label toxicity >= 0.5 from core words, attribute an identity term");
        d.put("seed", options.seed());
        d.put("options", options.describe());
        Map<String, Object> counts = new LinkedHashMap<>();
        counts(comments).forEach((s, c) -> counts.put(s.column(), c.toJson()));
        d.put("counts", counts);
        Map<String, Object> vocabulary = new LinkedHashMap<>();
        vocabulary.put("toxic_core", CommentVocabulary.core(1, options.coreWords()));
        vocabulary.put("civil_core", CommentVocabulary.core(0, options.coreWords()));
        vocabulary.put("identity_terms", CommentVocabulary.IDENTITY_TERMS);
        vocabulary.put("filler_words", CommentVocabulary.FILLER.size());
        d.put("vocabulary", vocabulary);
        return d;
    }

    /** A split's comments: in all, per group ({@code 2 label + attribute}, every group 0 to 3), with noisy core words. */
    public record SplitCounts(long total, Map<Integer, Long> groups, long noisy) {
        /** As {@code generate.json} holds it. */
        Map<String, Object> toJson() {
            Map<String, Long> byGroup = new LinkedHashMap<>();
            groups.forEach((g, n) -> byGroup.put(String.valueOf(g), n));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("total", total);
            m.put("groups", byGroup);
            m.put("noisy", noisy);
            return m;
        }
    }

    /** The counts per split, in the splits' order. */
    public static Map<Split, SplitCounts> counts(List<SyntheticComment> comments) {
        Map<Split, SplitCounts> out = new LinkedHashMap<>();
        for (Split s : Split.values()) {
            long total = 0;
            long noisy = 0;
            Map<Integer, Long> groups = new LinkedHashMap<>();
            for (int g = 0; g < 4; g++) {
                groups.put(g, 0L);
            }
            for (SyntheticComment c : comments) {
                if (c.split() == s) {
                    total++;
                    noisy += c.noisy() ? 1 : 0;
                    groups.merge(c.group(), 1L, Long::sum);
                }
            }
            out.put(s, new SplitCounts(total, Collections.unmodifiableMap(groups), noisy));
        }
        return out;
    }
}
