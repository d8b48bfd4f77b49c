package io.readout.jobs.registry;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.readout.common.BadInputException;
import io.readout.common.Json;
import io.readout.datasets.io.HadoopInputs;
import io.readout.jobs.io.AtomicOutput;
import io.readout.jobs.io.ExclusiveLock;
import io.readout.jobs.io.LockSettings;
import io.readout.jobs.io.SmallFiles;
import io.readout.jobs.run.RunDir;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FileUtil;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The model registry of scheduled retraining ({@code readout retrain --registry URI}): which
 * trained model is in service, every promotion decision, and the promoted models themselves, on any
 * Hadoop file system. Layout under the registry folder:
 * <pre>
 *   versions/v000001/   a promoted candidate: model.zip, config.json, history.json, metrics/*.json copied
 *                       from its run dir, version.json {version, created, source, metrics, decision},
 *                       _SUCCESS; written to a hidden sibling and renamed into place (AtomicOutput)
 *   current             the current version's name ("v000002\n"), replaced atomically
 *   history.json        {"decisions": [...]}: every decision, accepted or refused, oldest first, replaced atomically
 *   lock                while a run decides ({@link ExclusiveLock})
 * </pre>
 *
 * <p><b>The pointer.</b> {@code current} is written whole to a hidden sibling and renamed over the old
 * one ({@link SmallFiles#replace}: HDFS's rename with OVERWRITE, one namenode operation; POSIX rename
 * on a local disk), so a reader without the lock always finds a complete pointer once a first version
 * exists, and the version it names is complete: the version folder is committed before the pointer
 * moves, and versions are never deleted.
 *
 * <p><b>The decision</b> ({@link #decideAndRecord}) runs entirely under the registry lock: read the
 * current version and its val figures → {@link PromotionPolicy#decide} → if promoted, number the
 * version (one more than any number the registry has used: folders, half-written folders and history),
 * copy the candidate, move the pointer → append to the history. A run that died between moving the
 * pointer and appending leaves the decision in the version's {@code version.json}; the next run
 * appends it to the history first ({@link #recover}). A run that died before moving the pointer leaves
 * a version folder nothing points to; its number is not used again.
 */
public final class Registry {
    private static final Logger LOG = LoggerFactory.getLogger(Registry.class);
    public static final String VERSIONS = "versions";
    public static final String CURRENT = "current";
    public static final String HISTORY = "history.json";
    public static final String VERSION_JSON = "version.json";
    public static final String ACCEPTED = "accepted";
    public static final String REFUSED = "refused";
    static final String VAL_JSON = RunDir.METRICS + "/val.json";
    private static final Pattern VERSION = Pattern.compile("^\\.?v(\\d{6,})(\\.tmp-.*|\\.old-.*)?$");

    private final Configuration conf;
    private final Path root;
    private final FileSystem fs;
    private final LockSettings lockSettings;

    /**
     * What was decided about a candidate.
     *
     * @param promoted      whether the candidate is now the current version
     * @param version       the new version's name when promoted, else null
     * @param comparedWith  the version that was current when deciding, or null
     * @param reason        the policy's one-line reason
     * @param entry         the history entry written
     */
    public record Decision(boolean promoted, String version, String comparedWith, String reason,
                           DecisionEntry entry) {
    }

    /** The registry's {@code history.json}. */
    record DecisionLog(@JsonProperty("decisions") List<DecisionEntry> decisions) {
    }

    /**
     * @param uri the registry folder, any Hadoop file system URI; created on the first decision
     */
    public Registry(Configuration conf, String uri, LockSettings lockSettings) {
        this.conf = conf;
        this.lockSettings = lockSettings;
        Path p = new Path(uri);
        try {
            FileSystem raw = p.getFileSystem(conf);
            this.root = raw.makeQualified(p);
            this.fs = SmallFiles.unchecked(raw);
        } catch (IOException e) {
            throw new BadInputException("--registry " + uri + ": cannot open its file system: " + e.getMessage(), e);
        }
    }

    public String uri() {
        return root.toString();
    }

    /** The current version's folder (for a warm start from its model.zip), or empty if nothing was promoted yet. */
    public Optional<String> current() {
        return currentVersion().map(v -> versionDir(v).toString());
    }

    /** The current version's name, e.g. {@code v000002}. */
    public Optional<String> currentVersion() {
        try {
            byte[] bytes = SmallFiles.readOrNull(fs, new Path(root, CURRENT));
            if (bytes == null) {
                return Optional.empty();
            }
            String name = new String(bytes, StandardCharsets.UTF_8).strip();
            if (!VERSION.matcher(name).matches() || name.startsWith(".")) {
                throw new BadInputException(display(new Path(root, CURRENT)) + ": '" + name + "' is not a version name");
            }
            return Optional.of(name);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + new Path(root, CURRENT), e);
        }
    }

    /** Every decision recorded, oldest first. */
    public List<DecisionEntry> history() {
        Path p = new Path(root, HISTORY);
        try {
            byte[] bytes = SmallFiles.readOrNull(fs, p);
            if (bytes == null) {
                return List.of();
            }
            JsonNode decisions = read(bytes, display(p)).get("decisions");
            if (decisions == null || !decisions.isArray()) {
                throw new BadInputException(display(p) + ": no \"decisions\" list");
            }
            return List.of(Json.mapper().treeToValue(decisions, DecisionEntry[].class));
        } catch (JsonProcessingException e) {
            throw new BadInputException(display(p) + ": not a registry history (" + e.getOriginalMessage() + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + p, e);
        }
    }

    /** A JSON file of the registry or of a run; {@code where} names it in the one-line error. */
    private static JsonNode read(byte[] bytes, String where) {
        try {
            return Json.mapper().readTree(new String(bytes, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new BadInputException(where + ": not valid JSON: " + e.getOriginalMessage());
        }
    }

    /**
     * Decides whether the candidate run replaces the current version, and records the decision, all
     * under the registry lock (see the class comment).
     *
     * @param candidateRunDir a complete run dir with {@code metrics/val.json} ({@code readout evaluate --split val|all})
     * @throws LockedException if another run held the lock longer than the lock timeout
     */
    public Decision decideAndRecord(String candidateRunDir, PromotionPolicy policy) {
        Candidate candidate = Candidate.open(conf, candidateRunDir);
        try {
            ensureRoot();
            try (ExclusiveLock lock = ExclusiveLock.acquire(fs, root, lockSettings, "--registry " + display(root))) {
                recover();
                Optional<String> current = currentVersion();
                JsonNode currentVal = current.map(this::valOf).orElse(null);
                PromotionPolicy.Verdict verdict = policy.decide(candidate.scores(), current.orElse(null),
                        currentVal == null ? null : ValidationScores.fromJson(currentVal, display(
                                new Path(versionDir(current.get()), VAL_JSON))));
                String version = verdict.promote() ? name(nextNumber()) : null;
                DecisionEntry entry = entry(candidate, current.orElse(null), currentVal, policy, verdict, version);
                if (version != null) {
                    copyVersion(candidate, version, entry);
                    if (!lock.held()) {
                        // Broken as stale while we copied: another run may be deciding now; do not move its pointer.
                        throw new IllegalStateException("the registry lock " + new Path(root, ExclusiveLock.NAME)
                                + " was broken while this run held it (is --stale-after shorter than a decision?); "
                                + version + " was written but not made current");
                    }
                    SmallFiles.replace(fs, new Path(root, CURRENT), (version + "\n").getBytes(StandardCharsets.UTF_8));
                }
                appendHistory(entry);
                LOG.info("registry {}: {} {} ({})", display(root), verdict.promote() ? "promoted" : "refused",
                        candidate.dir(), verdict.reason());
                return new Decision(verdict.promote(), version, current.orElse(null), verdict.reason(), entry);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("registry " + root, e);
        }
    }

    /** The folder of a version. */
    public Path versionDir(String version) {
        return new Path(new Path(root, VERSIONS), version);
    }

    static String name(long number) {
        return String.format(Locale.ROOT, "v%06d", number);
    }

    private void ensureRoot() throws IOException {
        try {
            FileStatus s = fs.getFileStatus(root);
            if (!s.isDirectory()) {
                throw new BadInputException("--registry " + display(root) + ": is a file, expected a folder");
            }
        } catch (FileNotFoundException e) {
            if (!fs.mkdirs(new Path(root, VERSIONS))) {
                throw new BadInputException("--registry " + display(root) + ": cannot create it");
            }
        }
        fs.mkdirs(new Path(root, VERSIONS));
    }

    /** The val.json of a version, as copied when it was promoted. */
    private JsonNode valOf(String version) {
        Path p = new Path(versionDir(version), VAL_JSON);
        try {
            byte[] bytes = SmallFiles.readOrNull(fs, p);
            if (bytes == null) {
                throw new BadInputException(display(p) + ": missing: the current version has no val metrics");
            }
            return readObject(bytes, display(p));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + p, e);
        }
    }

    /** One more than the largest version number the registry has used anywhere (call under the lock). */
    private long nextNumber() throws IOException {
        long max = 0;
        for (FileStatus s : fs.listStatus(new Path(root, VERSIONS))) {
            Matcher m = VERSION.matcher(s.getPath().getName());
            if (m.matches()) {
                max = Math.max(max, Long.parseLong(m.group(1)));
            }
        }
        for (DecisionEntry e : history()) {
            String s = e.version();
            if (s != null && VERSION.matcher(s).matches()) {
                max = Math.max(max, Long.parseLong(s.substring(1)));
            }
        }
        return max + 1;
    }

    private DecisionEntry entry(Candidate c, String current, JsonNode currentVal, PromotionPolicy policy,
                                PromotionPolicy.Verdict verdict, String version) {
        return new DecisionEntry(Instant.now().toString(), c.dir(), c.val(), current, currentVal, policy.tolerance(),
                policy.accuracyTolerance(), verdict.promote() ? ACCEPTED : REFUSED, verdict.reason(), version,
                ExclusiveLock.HOST + " pid " + ExclusiveLock.PID, null);
    }

    /** Copies the candidate's essentials into versions/VERSION, committed whole, with version.json. */
    private void copyVersion(Candidate c, String version, DecisionEntry entry) throws IOException {
        try (AtomicOutput out = AtomicOutput.begin(conf, versionDir(version).toString(), false, "--registry")) {
            Path tmp = new Path(out.tmp());
            Path src = new Path(c.dir());
            FileSystem srcFs = src.getFileSystem(conf);
            FileSystem dstFs = tmp.getFileSystem(conf);
            for (String name : Candidate.REQUIRED) {
                copy(srcFs, new Path(src, name), dstFs, new Path(tmp, name));
            }
            Map<String, JsonNode> metrics = new LinkedHashMap<>();
            for (FileStatus s : srcFs.listStatus(new Path(src, RunDir.METRICS))) {
                String n = s.getPath().getName();
                if (s.isFile() && n.endsWith(".json")) {
                    copy(srcFs, s.getPath(), dstFs, new Path(tmp, RunDir.METRICS + "/" + n));
                    metrics.put(n.substring(0, n.length() - ".json".length()),
                            readObject(readAll(srcFs, s.getPath()), display(s.getPath())));
                }
            }
            out.writeText(VERSION_JSON, Json.write(new VersionFile(version, entry.time(), c.dir(), metrics, entry)));
            out.commit();
        }
    }

    private void copy(FileSystem srcFs, Path src, FileSystem dstFs, Path dst) throws IOException {
        if (!FileUtil.copy(srcFs, src, dstFs, dst, false, true, conf)) {
            throw new IOException("cannot copy " + src + " to " + dst);
        }
    }

    private static byte[] readAll(FileSystem fs, Path p) throws IOException {
        try (var in = fs.open(p)) {
            return in.readAllBytes();
        }
    }

    private void appendHistory(DecisionEntry entry) throws IOException {
        List<DecisionEntry> all = new ArrayList<>(history());
        all.add(entry);
        SmallFiles.replace(fs, new Path(root, HISTORY),
                Json.write(new DecisionLog(all)).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Under the lock: a current version whose decision is not in the history (its run died after moving
     * the pointer) gets the decision its version.json kept, marked {@code "recovered": true}.
     */
    private void recover() throws IOException {
        Optional<String> current = currentVersion();
        if (current.isEmpty()) {
            return;
        }
        String v = current.get();
        if (history().stream().anyMatch(e -> v.equals(e.version()))) {
            return;
        }
        Path vj = new Path(versionDir(v), VERSION_JSON);
        byte[] bytes = SmallFiles.readOrNull(fs, vj);
        if (bytes == null) {
            LOG.warn("registry {}: current version {} has no {}", display(root), v, VERSION_JSON);
            return;
        }
        DecisionEntry decision = readVersion(bytes, vj).decision().markedRecovered();
        LOG.warn("registry {}: recording the decision that made {} current, which its run did not record", display(root), v);
        appendHistory(decision);
    }

    /** A version's version.json with its decision; {@code p} names it in the one-line error. */
    private static VersionFile readVersion(byte[] bytes, Path p) {
        VersionFile v = VersionFile.read(new String(bytes, StandardCharsets.UTF_8), display(p));
        if (v.decision() == null) {
            throw new BadInputException(display(p) + ": no \"decision\"");
        }
        return v;
    }

    /** A JSON object of the registry or of a run (a metrics file, version.json); {@code where} names it in errors. */
    private static JsonNode readObject(byte[] bytes, String where) {
        JsonNode node = read(bytes, where);
        if (node == null || !node.isObject()) {
            throw new BadInputException(where + ": not valid JSON: not an object");
        }
        return node;
    }

    private static String display(Path p) {
        return HadoopInputs.display(p);
    }

    /** A candidate run dir, checked before the lock is taken. */
    record Candidate(String dir, JsonNode val, ValidationScores scores) {
        static final List<String> REQUIRED = List.of(RunDir.MODEL, RunDir.CONFIG, RunDir.HISTORY);

        static Candidate open(Configuration conf, String runDir) {
            RunDir run = RunDir.open(conf, runDir, "candidate run");
            if (!run.isComplete()) {
                throw new BadInputException(runDir + ": not a complete run (no " + RunDir.SUCCESS + ")");
            }
            for (String name : REQUIRED) {
                if (!run.exists(name)) {
                    throw new BadInputException(runDir + ": no " + name + " in the run");
                }
            }
            if (!run.exists(VAL_JSON)) {
                throw new BadInputException(runDir + ": no " + VAL_JSON + " (run readout evaluate --run " + runDir
                        + " --split val first)");
            }
            JsonNode val = readObject(run.readText(VAL_JSON).getBytes(StandardCharsets.UTF_8), run.path(VAL_JSON));
            return new Candidate(run.dir(), val, ValidationScores.fromJson(val, run.path(VAL_JSON)));
        }
    }
}
