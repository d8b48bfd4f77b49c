package io.readout.datasets.fetch;

import io.readout.common.BadInputException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
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
     * Downloads {@code url} into {@code partial}, continuing what it holds. The body is written as it arrives, so
     * a connection cut short leaves every byte that came in the partial.
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
        AtomicReference<HttpResponse.ResponseInfo> answer = new AtomicReference<>();
        AtomicReference<PartialFileSink> sink = new AtomicReference<>();
        HttpResponse.BodyHandler<Void> handler = info -> {
            answer.set(info);
            boolean whole = info.statusCode() == 200;
            boolean rest = info.statusCode() == 206 && have > 0 && rangeStart(info.headers()) == have;
            if (!whole && !rest) {
                return HttpResponse.BodySubscribers.discarding();
            }
            sink.set(new PartialFileSink(partial, rest ? have : 0, file.maxBytes()));
            return sink.get();
        };
        try {
            client.send(request.build(), handler);
        } catch (IOException e) {
            PartialFileSink s = sink.get();
            if (s == null) {
                throw new FetchFailedException(url + ": " + describe(e), answer.get() != null, e);
            }
            throw new FetchFailedException(url + ": " + describe(e) + " after " + s.written() + " bytes", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FetchFailedException(url + ": interrupted", e);
        }
        PartialFileSink s = sink.get();
        if (s != null && s.tooLarge()) {
            delete(partial);
            throw new BadInputException(file.name() + " from " + url + ": the server sends more than " + file.maxBytes()
                    + " bytes, expected " + file.expected() + "; deleted the download");
        }
        if (s != null) {
            return s.append() ? new Outcome(How.RESUMED, have)
                    : new Outcome(have > 0 ? How.RANGE_IGNORED : How.WHOLE, 0);
        }
        HttpResponse.ResponseInfo info = answer.get();
        int status = info.statusCode();
        if (status == 206 && have > 0) {
            long start = rangeStart(info.headers());
            throw new FetchFailedException(url + (start < 0
                    ? ": a 206 answer without a usable Content-Range ("
                            + info.headers().firstValue("Content-Range").orElse("none") + ")"
                    : ": asked for bytes from " + have + ", the server sent from " + start));
        }
        if (status == 416 && have > 0) {
            // The partial is longer than the file the server has: not a prefix of it. Start again.
            delete(partial);
            return run(client, url, partial, file);
        }
        throw new FetchFailedException(url + ": HTTP " + status, false);
    }

    /** The first byte of a 206 answer's Content-Range, or -1 when it has none that can be read. */
    private static long rangeStart(HttpHeaders headers) {
        Matcher m = headers.firstValue("Content-Range").map(r -> CONTENT_RANGE.matcher(r.trim())).orElse(null);
        return m != null && m.matches() ? Long.parseLong(m.group(1)) : -1;
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
}
