package io.readout.datasets.text;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The words of {@link SyntheticComments}, in four disjoint sets so that the label, the attribute and the filler
 * never share a token:
 * <ul>
 *   <li>{@link #TOXIC_CORE} and {@link #CIVIL_CORE}: the core feature, {@value #CORE_LIST_SIZE} words per class
 *       (mild insults; polite, appreciative words). A comment carries one or two words of its class's first
 *       {@code --core-words} words, uniformly.</li>
 *   <li>{@link #IDENTITY_TERMS}: the spurious attribute, the terms that mention each of WILDS' eight identity
 *       columns ({@code jewish}, {@code hindu}, {@code buddhist} count as {@code other_religions}, as WILDS groups
 *       them).</li>
 *   <li>{@link #FILLER}: ordinary words of local-news comments, most frequent first, drawn with Zipf weights
 *       {@code 1 / rank} ({@link #filler}); contractions among them bring apostrophes.</li>
 *   <li>{@link #NON_ASCII}: accented words, typographic quotes and an emoji, dropped into some comments as
 *       filler.</li>
 * </ul>
 * The words are all lower case, so a tokenizer that lowercases or one that does not sees the same signal.
 */
public final class CommentVocabulary {
    /** Words in each core list: the largest {@code --core-words}. */
    public static final int CORE_LIST_SIZE = 40;

    /** Mild insults, the toxic class's core words, in the order {@code --core-words} takes them. */
    public static final List<String> TOXIC_CORE = words("""
            idiot stupid pathetic moronic garbage dumb clueless ignorant idiotic ridiculous
            foolish loser fool absurd lame incompetent worthless clown nonsense dimwit
            dunce imbecile laughable brainless hypocrite rubbish trash disgraceful shameful ludicrous
            nitwit buffoon halfwit bozo crybaby whiner liar coward pitiful useless""");

    /** Civil, appreciative words, the non-toxic class's core words, in the order {@code --core-words} takes them. */
    public static final List<String> CIVIL_CORE = words("""
            thanks agree helpful appreciate thoughtful insightful respectfully kindly grateful informative
            excellent wonderful constructive reasonable fair welcome appreciated polite considerate balanced
            sensible valuable useful generous encouraging interesting congratulations bravo kudos cheers
            respect brilliant wise honest understanding compassionate cordially pleasure sincerely lovely""");

    /** WILDS' identity columns ({@link CivilCommentsSource#WILDS_IDENTITIES}) and the terms that mention each. */
    public static final Map<String, List<String>> IDENTITY_TERMS = identityTerms();

    /** Filler, most frequent first (rank 1 is {@code the}). */
    public static final List<String> FILLER = words("""
            the to and of a is that it in for you this be not are on have with they was
            but as what if he we do at all so about by people or will their an would there can
            more just one who no like our from has how when them why get should than his think time
            only out up been were did any its know government some because also now which other even many
            make much need being could years those money way see these going pay right said most tax want
            new over where say then very into does still own take here every back really well year state
            first law country city both point never long same work may good made under while system things
            thing two day another before article business care look through part too place case last since
            world read free number school health local don't it's can't that's isn't doesn't they're you're
            won't didn't there's we're vote party election council budget plan housing water road roads park
            bus rail transit island ferry bridge downtown neighborhood property rent market price prices cost
            costs jobs job wage wages economy company companies bank oil gas energy power climate weather rain
            snow summer winter spring fall morning evening night week month today tomorrow yesterday police
            court judge jury lawyer mayor governor senator president minister office policy policies rule rules
            bill bills report reports data study studies science history story news paper editor column letter
            comment comments question questions answer answers reason issue issues problem problems result
            results change choice decision idea ideas fact facts family families kids children parents student
            students teacher teachers class hospital doctor doctors nurse patients food restaurant coffee dinner
            lunch store shop street house home car cars truck traffic parking airport flight trip travel tourism
            visitors fishing boat harbor beach mountain trail river forest maybe perhaps probably actually
            simply already almost always often sometimes usually again later soon enough less least several few
            whole half full small large big old young early late high low short open closed private federal
            national county district board members member meeting hearing voters taxes revenue spending
            million billion percent dollars account program programs service services plans project projects""");

    /** Accented words, typographic quotes, an ellipsis character and an emoji: UTF-8 that must survive the CSV. */
    public static final List<String> NON_ASCII = List.of(
            "café", "naïve", "über", "résumé", "jalapeño", "déjà vu", "“honestly”", "‘really’", "…", "😀", "€5");

    private static final double[] FILLER_CUMULATIVE = zipfCumulative(FILLER.size());

    private CommentVocabulary() {
    }

    /** The first {@code words} core words of a class (0 non-toxic, 1 toxic). */
    public static List<String> core(int label, int words) {
        return (label == 1 ? TOXIC_CORE : CIVIL_CORE).subList(0, words);
    }

    /** One filler word, drawn with Zipf weights {@code 1 / rank}. */
    public static String filler(Random random) {
        int i = Arrays.binarySearch(FILLER_CUMULATIVE, random.nextDouble() * FILLER_CUMULATIVE[FILLER.size() - 1]);
        return FILLER.get(i >= 0 ? i : Math.min(-i - 1, FILLER.size() - 1));
    }

    private static double[] zipfCumulative(int n) {
        double[] c = new double[n];
        double sum = 0;
        for (int rank = 1; rank <= n; rank++) {
            sum += 1.0 / rank;
            c[rank - 1] = sum;
        }
        return c;
    }

    private static Map<String, List<String>> identityTerms() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("male", List.of("men", "man"));
        m.put("female", List.of("women", "woman"));
        m.put("LGBTQ", List.of("gay", "lesbian", "transgender"));
        m.put("christian", List.of("christian", "christians", "catholic"));
        m.put("muslim", List.of("muslim", "muslims", "islam"));
        m.put("other_religions", List.of("jewish", "hindu", "buddhist"));
        m.put("black", List.of("black"));
        m.put("white", List.of("white"));
        return Collections.unmodifiableMap(m);
    }

    private static List<String> words(String block) {
        return List.of(block.trim().split("\\s+"));
    }
}
