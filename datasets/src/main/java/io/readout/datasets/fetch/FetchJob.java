package io.readout.datasets.fetch;

import io.readout.common.BadInputException;
import io.readout.common.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Downloads the four IDX files of a public dataset ({@link PublicIdxDatasets}) into a local folder that
 * {@code readout prepare} reads ({@code train-*} and {@code t10k-*}, gzipped as published).
 *
 * <p>Stages: look at the folder (it must be empty, missing, or hold only what fetch writes; files already in
 * place must have an accepted hash), stage every missing file in {@code DIR/.partial/} (resuming a partial one
 * with an HTTP Range request, trying the mirrors in order on a network error), check each one's size and SHA-256,
 * then move the four into place and write {@code fetch.json} and {@code _SUCCESS}. Nothing enters the folder
 * before all four are checked; a failed run leaves its partial files for the next to resume, a file with a wrong
 * hash is deleted. Mirrors that cannot be reached or do not serve a file are the user's input
 * ({@link MirrorUnreachableException}); a transfer cut short is not ({@link FetchFailedException}).
 */
public final class FetchJob {
    public static final String PARTIAL_DIR = ".partial";
    public static final String RECORD = "fetch.json";
    public static final String SUCCESS = "_SUCCESS";
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

    /** One file as it ended: its accepted form, and where it came from this run (null url: it was there). */
    public record FetchedFile(String name, long bytes, String sha256, String variant, String url, String how) {
    }

    /** The folder, its files, and whether it was complete before the run (nothing downloaded). */
    public record Result(Path dir, String dataset, List<FetchedFile> files, boolean upToDate) {
    }

    private FetchJob() {
    }

    public static Result run(FetchConfig config, PrintStream out) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(CONNECT_TIMEOUT)
                .build();
        return run(config, client, out);
    }

    public static Result run(FetchConfig config, HttpClient client, PrintStream out) {
        config.validate();
        return run(config, config.publicDataset(), client, out);
    }

    /** As {@link #run(FetchConfig, HttpClient, PrintStream)} with another file list (tests: generated files). */
    static Result run(FetchConfig config, PublicIdxDatasets.PublicDataset dataset, HttpClient client, PrintStream out) {
        config.validate();
        Path dir = config.outDir();
        List<URI> mirrors = config.mirrorUrls();

        Map<String, FetchedFile> present = inspect(dir, dataset);
        if (present.size() == dataset.files().size() && Files.exists(dir.resolve(SUCCESS))
                && Files.exists(dir.resolve(RECORD))) {
            out.println(dir + ": up to date (" + dataset.name() + ", " + present.size() + " files, sha256 checked)");
            return new Result(dir, dataset.name(), List.copyOf(present.values()), true);
        }
        // A file went missing since the last complete run: the folder is not complete until this run ends.
        deleteIfExists(dir.resolve(SUCCESS));
        boolean existed = Files.exists(dir);
        List<FetchedFile> files = new ArrayList<>();
        try {
            for (PublicIdxDatasets.PublishedFile file : dataset.files()) {
                FetchedFile f = present.containsKey(file.name()) ? present.get(file.name()) : stage(client, dir, file, mirrors);
                out.printf("%-28s %10d bytes  %s%n", f.name(), f.bytes(), f.how());
                files.add(f);
            }
        } catch (RuntimeException e) {
            // Nothing to resume: leave no empty partial folder, nor the output folder if this run made it.
            deleteIfEmpty(dir.resolve(PARTIAL_DIR));
            if (!existed) {
                deleteIfEmpty(dir);
            }
            throw e;
        }
        commit(dir, dataset, files, mirrors);
        out.println("wrote " + dir);
        return new Result(dir, dataset.name(), files, false);
    }

    /**
     * Checks the folder holds nothing but what fetch writes, and the hash of each file already in place.
     *
     * @return the files in place, by name
     */
    private static Map<String, FetchedFile> inspect(Path dir, PublicIdxDatasets.PublicDataset dataset) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new BadInputException("--out " + dir + ": is a file, not a folder");
        }
        Map<String, FetchedFile> present = new LinkedHashMap<>();
        if (!Files.exists(dir)) {
            return present;
        }
        Set<String> ours = new LinkedHashSet<>(List.of(PARTIAL_DIR, RECORD, SUCCESS));
        dataset.files().forEach(f -> ours.add(f.name()));
        Set<String> others = new TreeSet<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                if (!ours.contains(p.getFileName().toString())) {
                    others.add(p.getFileName().toString());
                }
            }
        } catch (IOException e) {
            throw new BadInputException("--out " + dir + ": cannot list: " + e.getMessage(), e);
        }
        if (!others.isEmpty()) {
            throw new BadInputException("--out " + dir + ": holds other things (" + String.join(", ", others)
                    + "); fetch writes into an empty folder or one it wrote");
        }
        Path record = dir.resolve(RECORD);
        if (Files.isRegularFile(record)) {
            Object name = Json.readObject(readString(record), record.toString()).get("dataset");
            if (!dataset.name().equals(name)) {
                throw new BadInputException("--out " + dir + ": holds " + name + ", fetched before; fetch "
                        + dataset.name() + " into another folder");
            }
        }
        for (PublicIdxDatasets.PublishedFile file : dataset.files()) {
            Path p = dir.resolve(file.name());
            if (!Files.isRegularFile(p)) {
                continue;
            }
            long bytes = size(p);
            String sha = sha256(p);
            PublicIdxDatasets.Variant v = file.match(bytes, sha);
            if (v == null) {
                throw new BadInputException("--out " + dir + ": " + file.name() + " is not " + dataset.name()
                        + "'s: sha256 " + sha + " (" + bytes + " bytes), expected " + file.expected());
            }
            present.put(file.name(), new FetchedFile(file.name(), bytes, sha, v.source(), null, "already present"));
        }
        return present;
    }

    /** One file into {@code DIR/.partial/NAME}, checked: from a complete earlier partial, or from the mirrors in order. */
    private static FetchedFile stage(HttpClient client, Path dir, PublicIdxDatasets.PublishedFile file, List<URI> mirrors) {
        Path partial = dir.resolve(PARTIAL_DIR).resolve(file.name());
        createDirectories(partial.getParent());
        if (Files.isRegularFile(partial)) {
            long bytes = size(partial);
            if (file.hasSize(bytes)) {
                String sha = sha256(partial);
                PublicIdxDatasets.Variant v = file.match(bytes, sha);
                if (v != null) {
                    return new FetchedFile(file.name(), bytes, sha, v.source(), null, "downloaded before, checked now");
                }
            }
            if (bytes >= file.maxBytes()) {
                // As long as the file or longer but not an accepted form: resuming cannot mend it.
                deleteIfExists(partial);
            }
        }
        List<String> failures = new ArrayList<>();
        boolean transferred = false;
        for (URI mirror : mirrors) {
            URI url = mirror.resolve(file.name());
            ResumableDownload.Outcome outcome;
            try {
                outcome = ResumableDownload.run(client, url, partial, file);
            } catch (FetchFailedException e) {
                failures.add(e.getMessage());
                transferred |= e.transferred();
                continue;
            }
            long bytes = size(partial);
            String sha = sha256(partial);
            PublicIdxDatasets.Variant v = file.match(bytes, sha);
            if (v == null) {
                deleteIfExists(partial);
                throw new BadInputException(file.name() + " from " + url + ": sha256 " + sha + " (" + bytes
                        + " bytes), expected " + file.expected() + "; deleted the download");
            }
            String how = switch (outcome.how()) {
                case WHOLE -> "downloaded from " + url;
                case RESUMED -> "resumed at byte " + outcome.resumedAt() + " from " + url;
                case RANGE_IGNORED -> "downloaded again from " + url + " (the server ignored Range)";
            };
            return new FetchedFile(file.name(), bytes, sha, v.source(), url.toString(), how);
        }
        long kept = Files.isRegularFile(partial) ? size(partial) : 0;
        if (!transferred) {
            throw new MirrorUnreachableException(file.name() + ": no mirror serves it: " + String.join("; ", failures)
                    + (kept > 0 ? "; " + kept + " bytes kept in " + partial + " for the next run" : ""));
        }
        throw new FetchFailedException(file.name() + ": no mirror sent it: " + String.join("; ", failures)
                + (kept > 0 ? "; " + kept + " bytes kept in " + partial + " for the next run" : ""));
    }

    /** The checked files into place, then the record, then {@code _SUCCESS}; the partial folder goes if empty. */
    private static void commit(Path dir, PublicIdxDatasets.PublicDataset dataset, List<FetchedFile> files,
                               List<URI> mirrors) {
        Path staging = dir.resolve(PARTIAL_DIR);
        for (FetchedFile f : files) {
            Path staged = staging.resolve(f.name());
            if (Files.isRegularFile(staged) && !Files.isRegularFile(dir.resolve(f.name()))) {
                move(staged, dir.resolve(f.name()));
            }
        }
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("dataset", dataset.name());
        record.put("mirrors", mirrors.stream().map(URI::toString).toList());
        record.put("mirrors_used", files.stream().filter(f -> f.url() != null)
                .map(f -> f.url().substring(0, f.url().length() - f.name().length())).distinct().toList());
        List<Map<String, Object>> list = new ArrayList<>();
        for (FetchedFile f : files) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", f.name());
            m.put("bytes", f.bytes());
            m.put("sha256", f.sha256());
            m.put("form", f.variant());
            m.put("url", f.url());
            list.add(m);
        }
        record.put("files", list);
        createDirectories(staging);
        Path tmp = staging.resolve(RECORD);
        try {
            Files.writeString(tmp, Json.write(record), StandardCharsets.UTF_8);
            move(tmp, dir.resolve(RECORD));
            Files.write(dir.resolve(SUCCESS), new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": cannot write " + RECORD + ": " + e.getMessage(), e);
        }
        try (DirectoryStream<Path> left = Files.newDirectoryStream(staging)) {
            if (!left.iterator().hasNext()) {
                Files.delete(staging);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(staging + ": " + e.getMessage(), e);
        }
    }

    /** SHA-256 of a file, lower-case hex. */
    public static String sha256(Path p) {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
        try (InputStream in = Files.newInputStream(p)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                digest.update(buffer, 0, n);
            }
        } catch (IOException e) {
            throw new BadInputException(p + ": read failed: " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void move(Path from, Path to) {
        try {
            try {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + from + " to " + to + ": " + e.getMessage(), e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new BadInputException(p + ": cannot read its size: " + e.getMessage(), e);
        }
    }

    private static String readString(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new BadInputException(p + ": read failed: " + e.getMessage(), e);
        }
    }

    private static void createDirectories(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new BadInputException(p + ": cannot create the folder: " + e.getMessage(), e);
        }
    }

    private static void deleteIfEmpty(Path p) {
        if (!Files.isDirectory(p)) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(p)) {
            if (entries.iterator().hasNext()) {
                return;
            }
        } catch (IOException e) {
            return;
        }
        try {
            Files.delete(p);
        } catch (IOException e) {
            // Best effort: an empty folder left behind is harmless.
        }
    }

    private static void deleteIfExists(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + p + ": " + e.getMessage(), e);
        }
    }
}
