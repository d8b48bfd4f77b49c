package io.readout.jobs.cli;

import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;
import java.util.Map;

/**
 * What a command gets from the command line it runs in: Spark sessions built from {@code --master} and
 * {@code --conf}, and the streams it prints to. {@link ReadoutCli} is one; a command group ({@code bench})
 * hands its own parent's down. A command declares it as its {@code @ParentCommand}, so no command names the
 * command line that holds it.
 */
public interface CommandContext {
    /** The session for a command: the active one if there is one, else a new one. */
    SparkSession spark(String command);

    /**
     * The session for a command that has its own default master (a local benchmark): {@code --master}
     * wins, then {@code defaultMaster}, then what spark-submit or the system properties say.
     */
    SparkSession spark(String command, String defaultMaster);

    /**
     * The session for a command that needs settings of its own unless {@code --conf} or spark-submit
     * gives them (the sweep's FAIR scheduler); an active session is used as it is.
     */
    SparkSession spark(String command, Map<String, String> defaults);

    /** Where a command prints its results. */
    PrintStream out();

    /** Where one-line errors go. */
    PrintStream err();
}
