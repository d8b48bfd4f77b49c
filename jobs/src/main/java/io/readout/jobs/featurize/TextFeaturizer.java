package io.readout.jobs.featurize;

import io.readout.common.BadInputException;
import io.readout.datasets.ExamplesSchema;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.CountVectorizerModel;
import org.apache.spark.ml.feature.IDF;
import org.apache.spark.ml.feature.IDFModel;
import org.apache.spark.ml.feature.Normalizer;
import org.apache.spark.ml.feature.RegexTokenizer;
import org.apache.spark.ml.feature.SQLTransformer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.apache.spark.sql.functions.array_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

/**
 * The text featurizer: Spark ML stages fitted on the training split and saved as one {@link PipelineModel}, so
 * val, test and any later text ({@code predict}) go through exactly the same tokenizer, vocabulary and weights.
 *
 * <p>Normalization: a missing text is the empty string; the typographic apostrophes ’ ‘ ʼ become {@code '}; the text
 * is lower-cased ({@link String#toLowerCase()}); tokens are the maximal runs of letters and digits, with inner
 * apostrophes kept ({@code isn't}, {@code o'clock}) — the pattern {@value #TOKEN_PATTERN}. Punctuation, emoji,
 * whitespace and line breaks only separate tokens. No stop words are dropped: negations ({@code no}, {@code never},
 * {@code isn't}) are the point of MultiNLI's groups.
 *
 * <p>Vocabulary: the tokens of the training split's texts (both texts of a pair) that occur in at least
 * {@code minDf} training examples, ranked by their count (then alphabetically, so ties never depend on how Spark
 * partitioned the rows), the first {@code vocabSize}. Spark ML's {@code CountVectorizer} counts against it.
 *
 * <p>{@link TextInput#TFIDF}: per text, counts → IDF (fitted on the training texts, each text of a pair one
 * document; Spark's smoothed {@code log((m + 1) / (df + 1))}) → L2-normalized; a pair's two vectors side by side
 * (feature {@code V + j} is the second text's token j). {@link TextInput#TOKENS}: the tokens become {@link TokenIds}.
 */
public final class TextFeaturizer {
    /** Letters and digits, with inner apostrophes. */
    public static final String TOKEN_PATTERN = "[\\p{L}\\p{N}]+(?:'[\\p{L}\\p{N}]+)*";
    static final String CLEAN_TEXT = "_text_clean";
    static final String CLEAN_PAIR = "_text_pair_clean";
    static final String TOKENS_TEXT = "_tokens_text";
    static final String TOKENS_PAIR = "_tokens_pair";
    static final String COUNTS_TEXT = "_counts_text";
    static final String COUNTS_PAIR = "_counts_pair";
    static final String IDF_TEXT = "_idf_text";
    static final String IDF_PAIR = "_idf_pair";
    static final String NORM_TEXT = "_tfidf_text";
    static final String NORM_PAIR = "_tfidf_pair";
    static final String VECTOR = "_tfidf";
    private static final String DOCUMENT = "_document";

    private TextFeaturizer() {
    }

    /** The stages every featurizer starts with: clean both texts, tokenize them. */
    static List<PipelineStage> tokenizerStages() {
        String apostrophes = "translate(coalesce(%s, ''), '\\u2019\\u2018\\u02bc', '\\'\\'\\'')";
        SQLTransformer clean = new SQLTransformer("clean_texts").setStatement("SELECT *, "
                + String.format(apostrophes, ExamplesSchema.TEXT) + " AS " + CLEAN_TEXT + ", "
                + String.format(apostrophes, ExamplesSchema.TEXT_PAIR) + " AS " + CLEAN_PAIR + " FROM __THIS__");
        return List.of(clean, tokenizer("tokenize_text", CLEAN_TEXT, TOKENS_TEXT),
                tokenizer("tokenize_text_pair", CLEAN_PAIR, TOKENS_PAIR));
    }

    private static RegexTokenizer tokenizer(String uid, String in, String out) {
        return new RegexTokenizer(uid).setInputCol(in).setOutputCol(out).setGaps(false).setPattern(TOKEN_PATTERN)
                .setToLowercase(true).setMinTokenLength(1);
    }

    /** Tokenizes rows with the fitted tokenizer stages (the first stages of every featurizer). */
    static Dataset<Row> tokenize(Dataset<Row> rows) {
        Dataset<Row> out = rows;
        for (PipelineStage s : tokenizerStages()) {
            out = ((Transformer) s).transform(out);
        }
        return out;
    }

    /**
     * The vocabulary of tokenized training rows: tokens in at least {@code minDf} examples, by count (descending)
     * then token, at most {@code vocabSize}.
     */
    static List<String> vocabulary(Dataset<Row> tokenizedTrain, int vocabSize, int minDf) {
        Dataset<Row> tokens = tokenizedTrain.select(col(ExamplesSchema.ID),
                explode(concat(col(TOKENS_TEXT), col(TOKENS_PAIR))).as("token"));
        Dataset<Row> perToken = tokens.groupBy("token").agg(count(lit(1)).as("n"),
                org.apache.spark.sql.functions.countDistinct(col(ExamplesSchema.ID)).as("df"));
        List<Row> rows = perToken.where(col("df").geq(minDf))
                .orderBy(col("n").desc(), col("token").asc())
                .limit(vocabSize)
                .collectAsList();
        List<String> vocab = new ArrayList<>(rows.size());
        rows.forEach(r -> vocab.add(r.getString(0)));
        return vocab;
    }

    /**
     * Fits the featurizer on the training rows (a text table's rows, {@code text} and {@code text_pair} columns).
     *
     * @param pair whether the table holds sentence pairs (a second text)
     */
    static PipelineModel fit(Dataset<Row> train, TextInput input, boolean pair, int vocabSize, int minDf) {
        Dataset<Row> tokenized = tokenize(train);
        String[] vocab = vocabulary(tokenized, vocabSize, minDf).toArray(new String[0]);
        if (vocab.length == 0) {
            throw new BadInputException("--min-df " + minDf + ": no token of the training texts occurs in " + minDf
                    + " or more training examples; nothing to learn from");
        }
        List<PipelineStage> stages = new ArrayList<>(tokenizerStages());
        CountVectorizerModel countText = new CountVectorizerModel("count_text", vocab).setInputCol(TOKENS_TEXT)
                .setOutputCol(COUNTS_TEXT);
        stages.add(countText);
        if (input == TextInput.TFIDF) {
            CountVectorizerModel countPair = new CountVectorizerModel("count_text_pair", vocab).setInputCol(TOKENS_PAIR)
                    .setOutputCol(COUNTS_PAIR);
            // One IDF over every training text: a pair's two texts are two documents.
            Dataset<Row> counted = countPair.transform(countText.transform(tokenized));
            Dataset<Row> documents = counted.select(col(COUNTS_TEXT).as(DOCUMENT));
            if (pair) {
                documents = documents.union(counted.select(col(COUNTS_PAIR).as(DOCUMENT)));
            }
            IDFModel idfText = new IDF("idf").setInputCol(DOCUMENT).fit(documents)
                    .setInputCol(COUNTS_TEXT).setOutputCol(IDF_TEXT);
            stages.add(idfText);
            stages.add(new Normalizer("l2_text").setP(2).setInputCol(IDF_TEXT).setOutputCol(NORM_TEXT));
            if (pair) {
                stages.add(countPair);
                stages.add(idfText.copy(ParamMap.empty()).setInputCol(COUNTS_PAIR).setOutputCol(IDF_PAIR));
                stages.add(new Normalizer("l2_text_pair").setP(2).setInputCol(IDF_PAIR).setOutputCol(NORM_PAIR));
            }
            stages.add(new VectorAssembler("assemble").setInputCols(pair ? new String[] {NORM_TEXT, NORM_PAIR}
                    : new String[] {NORM_TEXT}).setOutputCol(VECTOR));
        }
        // Every stage is fitted already: Pipeline.fit only gathers them into one model, transforming nothing.
        return new Pipeline("featurizer").setStages(stages.toArray(new PipelineStage[0])).fit(train.limit(0));
    }

    /** The vocabulary a fitted featurizer counts against, in its order. */
    public static List<String> vocabulary(PipelineModel model) {
        for (Transformer t : model.stages()) {
            if (t instanceof CountVectorizerModel c) {
                return Arrays.asList(c.vocabulary());
            }
        }
        throw new IllegalStateException("the featurizer has no vocabulary stage");
    }

    /**
     * Text rows with their {@code features} column: the TF-IDF vector or the token ids as floats, the helper
     * columns dropped.
     *
     * @param length token ids per text ({@link TextInput#TOKENS} only)
     */
    static Dataset<Row> features(PipelineModel model, Dataset<Row> rows, TextInput input, boolean pair, int length) {
        Dataset<Row> t = model.transform(rows);
        Column features;
        if (input == TextInput.TFIDF) {
            features = org.apache.spark.ml.functions.vector_to_array(col(VECTOR), "float32");
        } else {
            TokenIds ids = new TokenIds(vocabulary(model), length);
            UserDefinedFunction toIds = udf((UDF2<scala.collection.Seq<String>, scala.collection.Seq<String>, float[]>)
                    (a, b) -> ids.ids(scala.collection.JavaConverters.seqAsJavaList(a),
                            pair ? scala.collection.JavaConverters.seqAsJavaList(b) : null),
                    DataTypes.createArrayType(DataTypes.FloatType, false));
            features = toIds.apply(col(TOKENS_TEXT), col(TOKENS_PAIR));
        }
        return t.withColumn(ExamplesSchema.FEATURES, features).select(columns());
    }

    /** The featurized table's columns: the vector contract's, then the texts. */
    static Column[] columns() {
        List<Column> cols = new ArrayList<>();
        for (String c : ExamplesSchema.VECTOR.fieldNames()) {
            cols.add(col(c));
        }
        cols.add(col(ExamplesSchema.TEXT));
        cols.add(col(ExamplesSchema.TEXT_PAIR));
        return cols.toArray(new Column[0]);
    }
}
