package io.readout.datasets.fetch;

import io.readout.common.BadInputException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP GET into a partial file that survives an interruption. A partial file that already holds N bytes is
 * continued with {@code Range: bytes=N-} (the server answers 206 and the rest is appended); a server that ignores
 * Range answers 200 with the whole file, which replaces the partial; 416 (the partial is longer than the file)
 * starts again from nothing. Writes are sequential, so the partial is always a prefix of what the server sent.
 */
final class ResumableDownload {
    /** How long a mirror may take to answer a request with its headers (the body may take longer). */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    private static final Pattern CONTENT_RANGE = Pattern.compile("^bytes (\\d+)-\\d+/(\\d+|\\*)$");

    /** How the file came: whole, continued from {@code resumedAt}, or whole because the server ignored Range. */
    enum How { WHOLE, RESUMED, RANGE_IGNORED }

    record Outcome(How how, long resumedAt) {
    }

    private ResumableDownload() {
    }

    /**
     * Downloads {@code url} into {@code partial}, continuing what it holds.
     *
     * @param file the file: a server that sends more than its largest accepted size is refused and the partial deleted
     * @throws FetchFailedException on a network error or an HTTP error status (the partial keeps what came); its
     *     {@link FetchFailedException#transferred()} says whether the mirror answered with the file at all
     * @throws BadInputException when the server sends more than {@code maxBytes}
     */
    static Outcome run(HttpClient client, URI url, Path partial, PublicIdxDatasets.PublishedFile file) {
        long have = Files.exists(partial) ? size(partial) : 0;
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(ANSWER_TIMEOUT).GET();
        if (have > 0) {
            request.header("Range", "bytes=" + have + "-");
        }
        HttpResponse<InputStream> response = send(client, request.build(), url);
        int status = response.statusCode();
        boolean append;
        if (status == 206 && have > 0) {
            long start = rangeStart(response, url);
            if (start != have) {
                closeQuietly(response);
                throw new FetchFailedException(url + ": asked for bytes from " + have + ", the server sent from " + start);
            }
            append = true;
        } else if (status == 200) {
            append = false;
        } else if (status == 416 && have > 0) {
            // The partial is longer than the file the server has: not a prefix of it. Start again.
            closeQuietly(response);
            delete(partial);
            return run(client, url, partial, file);
        } else {
            closeQuietly(response);
            throw new FetchFailedException(url + ": HTTP " + status, false);
        }
        long maxBytes = file.maxBytes();
        long written = append ? have : 0;
        try (InputStream in = response.body();
             OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                     append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                if (written + n > maxBytes) {
                    out.close();
                    delete(partial);
                    throw new BadInputException(file.name() + " from " + url + ": the server sends more than " + maxBytes
                            + " bytes, expected " + file.expected() + "; deleted the download");
                }
                out.write(buffer, 0, n);
                written += n;
            }
        } catch (IOException e) {
            throw new FetchFailedException(url + ": " + describe(e) + " after " + written + " bytes", e);
        }
        return new Outcome(append ? How.RESUMED : have > 0 ? How.RANGE_IGNORED : How.WHOLE, append ? have : 0);
    }

    private static HttpResponse<InputStream> send(HttpClient client, HttpRequest request, URI url) {
        try {
            return client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new FetchFailedException(url + ": " + describe(e), false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchFailedException(url + ": interrupted", e);
        }
    }

    private static long rangeStart(HttpResponse<InputStream> response, URI url) {
        Optional<String> range = response.headers().firstValue("Content-Range");
        Matcher m = range.map(r -> CONTENT_RANGE.matcher(r.trim())).orElse(null);
        if (m == null || !m.matches()) {
            closeQuietly(response);
            throw new FetchFailedException(url + ": a 206 answer without a usable Content-Range ("
                    + range.orElse("none") + ")");
        }
        return Long.parseLong(m.group(1));
    }

    /** A network error in a few words: the JDK's messages are often null or name only the class. */
    static String describe(IOException e) {
        if (e instanceof HttpConnectTimeoutException) {
            return "no connection within the timeout";
        }
        if (e instanceof HttpTimeoutException) {
            return "no answer within " + ANSWER_TIMEOUT.toSeconds() + " s";
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof java.nio.channels.UnresolvedAddressException
                || root instanceof java.net.UnknownHostException) {
            return "unknown host";
        }
        if (e instanceof ConnectException) {
            return "cannot connect" + (root.getMessage() != null ? " (" + root.getMessage() + ")" : "");
        }
        String message = e.getMessage() != null ? e.getMessage() : root.getMessage();
        return e.getClass().getSimpleName() + (message != null ? ": " + message : "");
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            throw new BadInputException(p + ": cannot read its size: " + e.getMessage(), e);
        }
    }

    private static void delete(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            throw new BadInputException(p + ": cannot delete: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // The answer is discarded anyway.
        }
    }
}
