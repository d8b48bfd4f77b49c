package io.readout.datasets.fetch;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A dataset mirror on 127.0.0.1 for tests: serves files by name at {@code /NAME}, honours {@code Range: bytes=N-}
 * with 206 (or ignores it, as some servers do), and can corrupt a byte, cut a body short or answer 404. Records
 * every request's file name and Range header.
 */
public final class MirrorServer implements AutoCloseable {
    private static final Pattern RANGE = Pattern.compile("^bytes=(\\d+)-$");

    /** One request: the file asked for and its Range header (null: none). */
    public record Request(String name, String range) {
    }

    private final HttpServer server;
    private final Function<String, byte[]> files;
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final Map<String, Integer> corruptAt = new ConcurrentHashMap<>();
    private final Map<String, Integer> cutAfter = new ConcurrentHashMap<>();
    private volatile boolean honourRange = true;

    private MirrorServer(Function<String, byte[]> files) {
        this.files = files;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    /** Serves the files of a folder (reads them on each request). */
    public static MirrorServer serving(Path dir) {
        return new MirrorServer(name -> {
            Path p = dir.resolve(name);
            try {
                return Files.isRegularFile(p) ? Files.readAllBytes(p) : null;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Serves these bytes under these names; anything else is 404. */
    public static MirrorServer serving(Map<String, byte[]> files) {
        Map<String, byte[]> copy = Map.copyOf(files);
        return new MirrorServer(copy::get);
    }

    /** The mirror's URL, ending with '/'. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** A URL on 127.0.0.1 where nothing listens. */
    public static String closedUrl() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return "http://127.0.0.1:" + s.getLocalPort() + "/";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public MirrorServer ignoringRange() {
        honourRange = false;
        return this;
    }

    /** Serves {@code name} with the byte at {@code offset} inverted. */
    public MirrorServer corrupting(String name, int offset) {
        corruptAt.put(name, offset);
        return this;
    }

    /** Announces the whole length of {@code name} but closes the connection after {@code bytes} of the body. */
    public MirrorServer cuttingAfter(String name, int bytes) {
        cutAfter.put(name, bytes);
        return this;
    }

    public List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    public void clearRequests() {
        requests.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String name = exchange.getRequestURI().getPath().substring(1);
        String range = exchange.getRequestHeaders().getFirst("Range");
        requests.add(new Request(name, range));
        try (exchange) {
            byte[] bytes = files.apply(name);
            if (bytes == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (corruptAt.containsKey(name)) {
                bytes = bytes.clone();
                bytes[corruptAt.get(name)] ^= (byte) 0xff;
            }
            int start = 0;
            Matcher m = range == null ? null : RANGE.matcher(range);
            if (honourRange && m != null && m.matches()) {
                long from = Long.parseLong(m.group(1));
                if (from >= bytes.length) {
                    exchange.getResponseHeaders().set("Content-Range", "bytes */" + bytes.length);
                    exchange.sendResponseHeaders(416, -1);
                    return;
                }
                start = (int) from;
                exchange.getResponseHeaders().set("Content-Range",
                        "bytes " + start + "-" + (bytes.length - 1) + "/" + bytes.length);
                exchange.sendResponseHeaders(206, bytes.length - start);
            } else {
                exchange.sendResponseHeaders(200, bytes.length);
            }
            OutputStream body = exchange.getResponseBody();
            // Cut short: fewer bytes than announced, then closing the exchange drops the connection.
            int end = cutAfter.containsKey(name) ? Math.min(bytes.length, start + cutAfter.get(name)) : bytes.length;
            body.write(bytes, start, end - start);
            body.flush();
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
