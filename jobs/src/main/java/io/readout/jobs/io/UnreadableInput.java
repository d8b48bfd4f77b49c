package io.readout.jobs.io;

import io.readout.common.BadInputException;
import io.readout.datasets.io.HadoopInputs;
import org.apache.hadoop.fs.Path;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A damaged input file behind a Spark failure: a Parquet shard that fails its Hadoop checksum, lost its
 * footer (truncated or overwritten), or cannot be decoded. Spark reports these deep inside a job
 * failure ({@code Job aborted due to stage failure: ... Encountered error while reading file ...});
 * {@link #find} turns such a failure into bad input naming the file, so the command line prints one
 * line and exits with code 2 instead of a stack trace. The cause chain is searched, and its messages
 * too: on a cluster the executor's exception may reach the driver only as text.
 */
public final class UnreadableInput {
    /** (pattern, what it means); group 1 is the file, group 2 (if any) a detail. */
    private record Rule(Pattern pattern, String meaning) {
    }

    private static final List<Rule> RULES = List.of(
            new Rule(Pattern.compile("Checksum error: (\\S+) at (\\d+)"), "corrupted: fails its checksum at byte %s"),
            new Rule(Pattern.compile("(\\S+) is not a Parquet file\\. (Expected magic number at tail[^\\n]*?\\])"),
                    "not a Parquet file (%s): truncated or overwritten"),
            new Rule(Pattern.compile("Can not read value at \\d+ in block -?\\d+ in file (\\S+)"),
                    "corrupted: a Parquet page cannot be decoded"),
            new Rule(Pattern.compile("Could not read footer for file: (\\S+?)\\.?(?:\\s|$)"),
                    "corrupted: its Parquet footer cannot be read"),
            new Rule(Pattern.compile("Encountered error while reading file (\\S+?)\\. Details"),
                    "corrupted: cannot be read"));

    private UnreadableInput() {
    }

    /** Bad input naming the damaged file behind {@code failure}, or null if it is not about one. */
    public static BadInputException find(Throwable failure) {
        StringBuilder text = new StringBuilder();
        int depth = 0;
        for (Throwable c = failure; c != null && depth < 32; c = c.getCause(), depth++) {
            text.append(c).append('\n');
            if (c.getCause() == c) {
                break;
            }
        }
        for (Rule rule : RULES) {
            Matcher m = rule.pattern().matcher(text);
            if (m.find()) {
                String file = HadoopInputs.display(new Path(m.group(1)));
                String meaning = m.groupCount() >= 2 ? String.format(rule.meaning(), m.group(2)) : rule.meaning();
                return new BadInputException(file + ": " + meaning
                        + "; the table it belongs to is damaged: write it again (e.g. readout prepare --overwrite)", failure);
            }
        }
        return null;
    }
}
