package io.readout.datasets.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One comment's text from its filler words and its signal words (core words, identity terms), with the awkward
 * touches real comments have: commas, sentence breaks, line breaks, a word in double quotes, a non-ASCII word, a
 * final {@code .}, {@code ?}, {@code !} or {@code ...}. Touches land on filler only: a signal word is never first
 * (capitalised), never last (followed by the final mark), never quoted and never followed by punctuation, so every
 * tokenizer, by whitespace or by letters, lowercasing or not, sees it whole. The text has no leading or trailing
 * whitespace and no carriage return.
 */
final class CommentText {
    /** Per filler word: it ends a sentence ({@code .} and a capital next), if both sentences keep enough words. */
    static final double P_SENTENCE_END = 0.05;
    /** A sentence has at least this many words, so no sentence is a lone {@code The.} */
    static final int MIN_SENTENCE_WORDS = 3;
    /** Of sentence ends: a line break instead of a space (a third of them a blank line). */
    static final double P_LINE_BREAK = 0.4;
    /** Per filler word but the last, when it ends no sentence: a comma after it. */
    static final double P_COMMA = 0.06;
    /** Per comment: one filler word in double quotes. */
    static final double P_QUOTED = 0.12;
    /** Per comment: one word of {@link CommentVocabulary#NON_ASCII} among the filler. */
    static final double P_NON_ASCII = 0.12;
    /** The final mark, drawn uniformly. */
    static final List<String> ENDINGS = List.of(".", ".", ".", "?", "!", "...");

    /** A word of the comment; {@code touchable} words may be capitalised, quoted and punctuated. */
    private record Word(String text, boolean touchable) {
    }

    private CommentText() {
    }

    /**
     * The comment: the filler in order, each signal word inserted at a random position strictly inside it, then
     * the touches.
     *
     * @param filler at least two words (the first and the last stay filler)
     */
    static String compose(List<String> filler, List<String> signal, Random random) {
        List<Word> words = new ArrayList<>(filler.size() + signal.size() + 1);
        for (String f : filler) {
            words.add(new Word(f, true));
        }
        if (random.nextDouble() < P_NON_ASCII) {
            String odd = CommentVocabulary.NON_ASCII.get(random.nextInt(CommentVocabulary.NON_ASCII.size()));
            words.add(inside(words.size(), random), new Word(odd, false));
        }
        for (String s : signal) {
            words.add(inside(words.size(), random), new Word(s, false));
        }
        if (random.nextDouble() < P_QUOTED) {
            int i = random.nextInt(words.size());
            if (words.get(i).touchable()) {
                words.set(i, new Word("\"" + words.get(i).text() + "\"", true));
            }
        }
        return join(words, random);
    }

    /** A position strictly between the first and the last of {@code size} words. */
    private static int inside(int size, Random random) {
        return 1 + random.nextInt(size - 1);
    }

    private static String join(List<Word> words, Random random) {
        StringBuilder b = new StringBuilder();
        boolean capital = true;
        int inSentence = 0;
        int last = words.size() - 1;
        for (int i = 0; i <= last; i++) {
            Word w = words.get(i);
            b.append(capital && w.touchable() ? capitalised(w.text()) : w.text());
            capital = false;
            inSentence++;
            boolean mayEnd = inSentence >= MIN_SENTENCE_WORDS && last - i >= MIN_SENTENCE_WORDS;
            if (i == last) {
                b.append(ENDINGS.get(random.nextInt(ENDINGS.size())));
            } else if (w.touchable() && mayEnd && random.nextDouble() < P_SENTENCE_END) {
                b.append('.');
                capital = true;
                inSentence = 0;
                if (random.nextDouble() < P_LINE_BREAK) {
                    b.append(random.nextInt(3) == 0 ? "\n\n" : "\n");
                } else {
                    b.append(' ');
                }
            } else {
                if (w.touchable() && random.nextDouble() < P_COMMA) {
                    b.append(',');
                }
                b.append(' ');
            }
        }
        return b.toString();
    }

    /** The word with its first letter in upper case ({@code "don't} gives {@code "Don't}). */
    private static String capitalised(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (Character.isLetter(word.charAt(i))) {
                return word.substring(0, i) + Character.toUpperCase(word.charAt(i)) + word.substring(i + 1);
            }
        }
        return word;
    }
}
