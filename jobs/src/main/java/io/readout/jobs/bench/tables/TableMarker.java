package io.readout.jobs.bench.tables;

import io.readout.common.BadInputException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line that opens a generated table in a markdown document:
 * {@code <!-- table: KIND files=a.json,b.json key=value key="a value, with spaces" -->}; the table
 * ends at {@value #END}. {@code KIND} chooses the renderer, {@code files} the results files (relative
 * to the results folder) and the other keys the renderer's options.
 */
record TableMarker(Path doc, int line, String kind, List<String> files, Map<String, String> options) {
    static final String END = "<!-- /table -->";
    static final String FILES = "files";
    private static final Pattern START = Pattern.compile("^<!-- table: (.*?) ?-->$");
    private static final Pattern OPTION = Pattern.compile("\\G\\s*([a-z][a-z-]*)=(?:\"([^\"]*)\"|([^\\s\"]+))");

    /** Whether a line opens a table (the marker may still be malformed). */
    static boolean opens(String line) {
        return line.strip().startsWith("<!-- table:");
    }

    static boolean closes(String line) {
        return line.strip().equals(END);
    }

    /**
     * Parses an opening line.
     *
     * @throws BadInputException naming {@code doc:line} when it is not of the form above
     */
    static TableMarker parse(Path doc, int line, String text) {
        Matcher m = START.matcher(text.strip());
        String where = doc + ":" + line;
        if (!m.matches()) {
            throw new BadInputException(where + ": a table marker is '<!-- table: KIND files=F,F [key=value]... -->', got '"
                    + text.strip() + "'");
        }
        String body = m.group(1).strip();
        int space = body.indexOf(' ');
        String kind = space < 0 ? body : body.substring(0, space);
        String rest = space < 0 ? "" : body.substring(space);
        Map<String, String> options = new LinkedHashMap<>();
        Matcher o = OPTION.matcher(rest);
        int end = 0;
        while (o.find()) {
            String key = o.group(1);
            String value = o.group(2) != null ? o.group(2) : o.group(3);
            if (options.put(key, value) != null) {
                throw new BadInputException(where + ": table " + kind + " gives " + key + " twice");
            }
            end = o.end();
        }
        if (!rest.substring(end).isBlank()) {
            throw new BadInputException(where + ": table " + kind + ": cannot read '" + rest.substring(end).strip()
                    + "' (options are key=value or key=\"value\")");
        }
        String files = options.remove(FILES);
        if (files == null || files.isBlank()) {
            throw new BadInputException(where + ": table " + kind + " names no files (files=a.json,b.json)");
        }
        List<String> names = Arrays.stream(files.split(",")).map(String::strip).toList();
        if (names.stream().anyMatch(n -> n.isEmpty() || n.contains("..") || n.startsWith("/"))) {
            throw new BadInputException(where + ": table " + kind + ": files '" + files
                    + "' must be names inside the results folder");
        }
        return new TableMarker(doc, line, kind, names, options);
    }

    /** An option's value, or {@code fallback} when the marker does not give it. */
    String option(String key, String fallback) {
        return options.getOrDefault(key, fallback);
    }

    /** A comma-separated option as a list; {@code fallback} when absent. */
    List<String> listOption(String key, List<String> fallback) {
        String value = options.get(key);
        if (value == null) {
            return fallback;
        }
        List<String> out = new ArrayList<>();
        for (String v : value.split(",")) {
            if (!v.isBlank()) {
                out.add(v.strip());
            }
        }
        return out;
    }

    /** How messages name the table: {@code docs/BENCHMARKS.md:57 (table spark-vs-single)}. */
    String where() {
        return doc + ":" + line + " (table " + kind + ")";
    }

    BadInputException bad(String problem) {
        return new BadInputException(where() + ": " + problem);
    }

    Optional<String> find(String key) {
        return Optional.ofNullable(options.get(key));
    }
}
