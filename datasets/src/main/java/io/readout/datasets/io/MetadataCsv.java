package io.readout.datasets.io;

import io.readout.common.BadInputException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small CSV file with a header row, read whole on the driver: the metadata files of the
 * Waterbirds and CelebA releases (hundreds of thousands of short lines at most). Cells are
 * looked up by column name; every row keeps its line number so errors can point at it.
 * Handles a UTF-8 byte-order mark, CRLF line ends and double-quoted cells (not spanning lines);
 * blank lines are skipped. Not thread-safe: it remembers the last line split.
 */
public final class MetadataCsv {
    private final String path;
    private final List<String> header;
    private final Map<String, Integer> index;
    private final List<Line> lines;

    /**
     * One data row as written and the 1-based line of the file it came from (the header is line 1).
     * Cells are split when asked for: the CelebA attribute file has 8 million of them.
     */
    public record Line(int number, String text) {
    }

    /** The cells of the line last asked about, as rows are read one at a time, cell after cell. */
    private Line splitLine;
    private List<String> splitCells;

    private MetadataCsv(String path, List<String> header, List<Line> lines) {
        this.path = path;
        this.header = header;
        this.lines = lines;
        this.index = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            index.putIfAbsent(header.get(i), i);
        }
    }

    /**
     * Reads a CSV file that must exist.
     *
     * @param what how the input is named in errors, e.g. {@code "waterbirds metadata"}
     */
    public static MetadataCsv read(HadoopInputs inputs, String path, String what) {
        String text = new String(inputs.readAll(path, what), StandardCharsets.UTF_8);
        return parse(path, text);
    }

    /** Parses CSV text; {@code path} names the file in errors. */
    public static MetadataCsv parse(String path, String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        String[] raw = text.split("\r?\n", -1);
        List<String> header = null;
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < raw.length; i++) {
            if (raw[i].isBlank()) {
                continue;
            }
            if (header == null) {
                header = splitLine(raw[i], path, i + 1);
            } else {
                lines.add(new Line(i + 1, raw[i]));
            }
        }
        if (header == null) {
            throw new BadInputException(path + ": empty file, expected a header row");
        }
        return new MetadataCsv(path, Collections.unmodifiableList(header), lines);
    }

    private static List<String> splitLine(String line, String path, int number) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString().trim());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        if (quoted) {
            throw new BadInputException(path + " line " + number + ": unterminated quoted cell");
        }
        cells.add(cell.toString().trim());
        return cells;
    }

    public String path() {
        return path;
    }

    public List<String> header() {
        return header;
    }

    public List<Line> lines() {
        return lines;
    }

    /** The position of a column that must be in the header. */
    public int require(String column) {
        Integer i = index.get(column);
        if (i == null) {
            throw new BadInputException(path + ": column '" + column + "' is missing (has: "
                    + String.join(", ", header) + ")");
        }
        return i;
    }

    /** A cell of a data row; a row shorter than the header is an error naming its line. */
    public String cell(Line line, int column) {
        List<String> cells = cells(line);
        if (column >= cells.size()) {
            throw new BadInputException(path + " line " + line.number() + ": has " + cells.size()
                    + " cells, the header has " + header.size());
        }
        return cells.get(column);
    }

    /** The cells of a data row. */
    public List<String> cells(Line line) {
        if (line != splitLine) {
            splitCells = splitLine(line.text(), path, line.number());
            splitLine = line;
        }
        return splitCells;
    }

    /**
     * A cell that must be one of the given integers, e.g. 0/1 labels or -1/1 attributes.
     *
     * @param columnName the header name of {@code column}, for the message
     * @param rowName names the row beyond its line, e.g. {@code "img_id 17"}
     */
    public int intIn(Line line, int column, String columnName, String rowName, int... allowed) {
        String v = cell(line, column);
        try {
            int x = Integer.parseInt(v);
            for (int a : allowed) {
                if (x == a) {
                    return x;
                }
            }
        } catch (NumberFormatException e) {
            // reported below, with the value
        }
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < allowed.length; i++) {
            expected.append(i == 0 ? "" : i == allowed.length - 1 ? " or " : ", ").append(allowed[i]);
        }
        throw new BadInputException(where(line, rowName) + ", column '" + columnName + "': value '" + v
                + "' is out of range (expected " + expected + ")");
    }

    /** {@code "<path> line N (rowName)"}, the start of a message about one row. */
    public String where(Line line, String rowName) {
        return path + " line " + line.number() + (rowName == null ? "" : " (" + rowName + ")");
    }
}
