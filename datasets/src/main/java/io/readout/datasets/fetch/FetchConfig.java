package io.readout.datasets.fetch;

import io.readout.common.BadInputException;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code readout fetch}: which public dataset, the local folder it goes to, and the mirrors to download from
 * instead of the dataset's own (empty: its own, {@link PublicIdxDatasets}), tried in the order given.
 */
public record FetchConfig(String dataset, String out, List<String> mirrors) {

    public FetchConfig {
        mirrors = mirrors == null ? List.of() : List.copyOf(mirrors);
    }

    /** Checks every field; returns this. */
    public FetchConfig validate() {
        publicDataset();
        outDir();
        mirrorUrls();
        return this;
    }

    public PublicIdxDatasets.PublicDataset publicDataset() {
        return PublicIdxDatasets.named(dataset);
    }

    /** The output folder: a local path or a {@code file:} URI (the downloads are local files). */
    public Path outDir() {
        if (out == null || out.isBlank()) {
            throw new BadInputException("--out: give the folder to download into");
        }
        try {
            if (out.startsWith("file:")) {
                return Path.of(new URI(out)).toAbsolutePath().normalize();
            }
            if (out.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*")) {
                throw new BadInputException("--out " + out + ": fetch downloads into a local folder; copy it to "
                        + out.substring(0, out.indexOf(':')) + " afterwards");
            }
            return Path.of(out).toAbsolutePath().normalize();
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new BadInputException("--out " + out + ": not a local path (" + e.getMessage() + ")");
        }
    }

    /** The mirrors in the order they are tried, each an http(s) URL ending with '/'. */
    public List<URI> mirrorUrls() {
        List<String> bases = mirrors.isEmpty() ? publicDataset().mirrors() : mirrors;
        List<URI> out = new ArrayList<>();
        for (String base : bases) {
            out.add(parseMirror(base));
        }
        return out;
    }

    static URI parseMirror(String base) {
        if (!base.matches("(?i)^https?://.*")) {
            throw new BadInputException("--mirror '" + base + "': not an http:// or https:// URL");
        }
        URI uri;
        try {
            uri = new URI(base.endsWith("/") ? base : base + "/");
        } catch (URISyntaxException e) {
            throw new BadInputException("--mirror '" + base + "': not a URL (" + e.getReason().toLowerCase(Locale.ROOT)
                    + (e.getIndex() >= 0 ? " at character " + (e.getIndex() + 1) : "") + ")");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new BadInputException("--mirror '" + base + "': no host in the URL");
        }
        if (uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new BadInputException("--mirror '" + base + "': a folder URL has no ?query or #fragment");
        }
        return uri;
    }
}
