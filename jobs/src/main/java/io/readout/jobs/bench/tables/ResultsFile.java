package io.readout.jobs.bench.tables;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.common.MachineCpu;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One committed results file under {@code docs/bench/results/} as a table renderer reads it: a JSON
 * object (a benchmark's {@code --out}, an accuracy aggregate) or a text log (the kernel probes), and
 * the CPU it was measured on ({@link MachineCpu}: the JSON's {@code cpu} field, or the log's
 * {@code cpu: {...}} lines). Every missing or malformed field is a {@link BadInputException} whose
 * one line names the file and the field.
 */
public final class ResultsFile {
    /** A text log's CPU line: {@code cpu: {...}}, as the kernel probe ({@code PROBE cpu:}) and pytorch_baseline.py print it. */
    private static final Pattern CPU_LINE = Pattern.compile("^(?:PROBE |PYTORCH )?cpu: (\\{.*})\\s*$");

    private final String name;
    private final Path path;
    private final JsonNode json;
    private final List<String> lines;
    private final MachineCpu cpu;

    private ResultsFile(String name, Path path, JsonNode json, List<String> lines, MachineCpu cpu) {
        this.name = name;
        this.path = path;
        this.json = json;
        this.lines = lines;
        this.cpu = cpu;
    }

    /**
     * Reads {@code name} under {@code results}: {@code .json} as a JSON object, anything else as text.
     *
     * @param requireCpu whether the file must name its CPU (every results file does; a bands file of
     *                   reference figures does not)
     */
    public static ResultsFile read(Path results, String name, boolean requireCpu) {
        Path path = results.resolve(name);
        String where = path.toString();
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new BadInputException(where + ": no such file");
        } catch (IOException e) {
            throw new BadInputException(where + ": cannot read (" + e + ")", e);
        }
        if (name.endsWith(".json")) {
            JsonNode node;
            try {
                node = Json.mapper().readTree(text);
            } catch (JsonProcessingException e) {
                throw new BadInputException(where + ": not valid JSON: " + e.getOriginalMessage().replace('\n', ' '));
            }
            if (node == null || !node.isObject()) {
                throw new BadInputException(where + ": expected a JSON object");
            }
            MachineCpu cpu = null;
            if (requireCpu || node.has("cpu")) {
                cpu = MachineCpu.fromJson(Json.mapper().convertValue(node.get("cpu"), Object.class), where);
            }
            return new ResultsFile(name, path, node, null, cpu);
        }
        List<String> lines = text.lines().toList();
        MachineCpu cpu = null;
        for (String line : lines) {
            Matcher m = CPU_LINE.matcher(line);
            if (m.matches()) {
                MachineCpu c = MachineCpu.fromJson(Json.readObject(m.group(1), where + ": cpu line"), where);
                if (cpu != null && !cpu.equals(c)) {
                    throw new BadInputException(where + ": its cpu lines name different CPUs (" + cpu.describe()
                            + "; " + c.describe() + ")");
                }
                cpu = c;
            }
        }
        if (cpu == null && requireCpu) {
            throw new BadInputException(where + ": no 'cpu: {...}' line naming the CPU it was measured on");
        }
        return new ResultsFile(name, path, null, lines, cpu);
    }

    /** The file's name relative to the results folder. */
    public String name() {
        return name;
    }

    public Path path() {
        return path;
    }

    /** The CPU it was measured on; null only for a file read without requiring one. */
    public MachineCpu cpu() {
        return cpu;
    }

    /** The JSON object; a text file here is bad input. */
    public JsonNode json() {
        if (json == null) {
            throw new BadInputException(path + ": expected a JSON results file");
        }
        return json;
    }

    /** The text lines; a JSON file here is bad input. */
    public List<String> lines() {
        if (lines == null) {
            throw new BadInputException(path + ": expected a text results file, not JSON");
        }
        return lines;
    }

    /** {@code parent.field}, which must be present and not null; {@code at} is the parent's path for the message. */
    public JsonNode field(JsonNode parent, String at, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            throw bad(join(at, field), "is missing");
        }
        return n;
    }

    public double number(JsonNode parent, String at, String field) {
        JsonNode n = field(parent, at, field);
        if (!n.isNumber()) {
            throw bad(join(at, field), "must be a number, got " + n);
        }
        return n.doubleValue();
    }

    /** A number or null (absent counts as null). */
    public Double numberOrNull(JsonNode parent, String at, String field) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isNumber()) {
            throw bad(join(at, field), "must be a number or null, got " + n);
        }
        return n.doubleValue();
    }

    public int integer(JsonNode parent, String at, String field) {
        JsonNode n = field(parent, at, field);
        if (!n.canConvertToInt() || !n.isIntegralNumber()) {
            throw bad(join(at, field), "must be an integer, got " + n);
        }
        return n.intValue();
    }

    public String text(JsonNode parent, String at, String field) {
        JsonNode n = field(parent, at, field);
        if (!n.isTextual()) {
            throw bad(join(at, field), "must be a string, got " + n);
        }
        return n.textValue();
    }

    public boolean bool(JsonNode parent, String at, String field) {
        JsonNode n = field(parent, at, field);
        if (!n.isBoolean()) {
            throw bad(join(at, field), "must be true or false, got " + n);
        }
        return n.booleanValue();
    }

    /** The elements of a JSON list. */
    public List<JsonNode> list(JsonNode parent, String at, String field) {
        JsonNode n = field(parent, at, field);
        if (!n.isArray()) {
            throw bad(join(at, field), "must be a list, got " + n.getNodeType());
        }
        List<JsonNode> out = new ArrayList<>();
        n.forEach(out::add);
        return out;
    }

    /** The entries of a JSON object, in the file's order. */
    public List<Map.Entry<String, JsonNode>> entries(JsonNode parent, String at, String field) {
        JsonNode n = field(parent, at, field);
        if (!n.isObject()) {
            throw bad(join(at, field), "must be an object, got " + n.getNodeType());
        }
        List<Map.Entry<String, JsonNode>> out = new ArrayList<>();
        n.fields().forEachRemaining(out::add);
        return out;
    }

    /** Bad input about one field of this file. */
    public BadInputException bad(String field, String problem) {
        return new BadInputException(path + ": " + field + " " + problem);
    }

    /** Bad input about this file as a whole. */
    public BadInputException bad(String problem) {
        return new BadInputException(path + ": " + problem);
    }

    static String join(String at, String field) {
        return at == null || at.isEmpty() ? field : at + "." + field;
    }
}
