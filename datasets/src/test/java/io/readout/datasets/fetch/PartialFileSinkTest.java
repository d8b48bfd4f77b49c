package io.readout.datasets.fetch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The body subscriber on its own, driven by hand as the HTTP client drives it: no network. */
class PartialFileSinkTest {
    @TempDir
    Path tmp;

    /** A subscription that counts what is asked of it. */
    private static final class Counting implements Flow.Subscription {
        long requested;
        boolean cancelled;

        @Override
        public void request(long n) {
            requested += n;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private static List<ByteBuffer> ascii(String... parts) {
        return java.util.Arrays.stream(parts).map(p -> ByteBuffer.wrap(p.getBytes(StandardCharsets.US_ASCII))).toList();
    }

    @Test
    void everyBufferIsOnDiskWhenTheConnectionFailsAndTheFailureIsTheBodys() throws Exception {
        Path partial = tmp.resolve("f.gz");
        PartialFileSink sink = new PartialFileSink(partial, 0, 100);
        Counting s = new Counting();
        sink.onSubscribe(s);
        assertEquals(1, s.requested, "one list of buffers at a time");
        sink.onNext(ascii("abc", "de"));
        sink.onNext(ascii("fgh"));
        assertEquals(3, s.requested);
        EOFException cut = new EOFException("fixed content-length: 50, bytes received: 8");
        sink.onError(cut);

        assertEquals("abcdefgh", Files.readString(partial));
        assertEquals(8, sink.written());
        CompletableFuture<Void> body = sink.getBody().toCompletableFuture();
        ExecutionException e = assertThrows(ExecutionException.class, body::get);
        assertSame(cut, e.getCause());
        assertFalse(sink.tooLarge());
    }

    /** A sink given one body that ends normally; the partial first holds {@code before}. */
    private PartialFileSink completed(String before, boolean append, String body) throws Exception {
        Path partial = Files.writeString(tmp.resolve("f.gz"), before);
        PartialFileSink sink = new PartialFileSink(partial, append ? before.length() : 0, 100);
        sink.onSubscribe(new Counting());
        sink.onNext(ascii(body));
        sink.onComplete();
        sink.getBody().toCompletableFuture().get();
        return sink;
    }

    @Test
    void aContinuationAppendsAndAWholeBodyReplacesThePartial() throws Exception {
        PartialFileSink resumed = completed("0123", true, "456");
        assertEquals("0123456", Files.readString(tmp.resolve("f.gz")));
        assertEquals(7, resumed.written(), "counted from what the partial held");
        assertTrue(resumed.append());

        PartialFileSink whole = completed("stale bytes, longer than the body", false, "new");
        assertEquals("new", Files.readString(tmp.resolve("f.gz")));
        assertEquals(3, whole.written());
        assertFalse(whole.append());
    }

    @Test
    void aBodyPastTheLimitIsCancelledBeforeTheBufferThatPassesItIsWritten() throws Exception {
        Path partial = Files.writeString(tmp.resolve("f.gz"), "01");
        PartialFileSink sink = new PartialFileSink(partial, 2, 6);
        Counting s = new Counting();
        sink.onSubscribe(s);
        sink.onNext(ascii("234", "56"));
        assertTrue(s.cancelled);
        assertTrue(sink.tooLarge());
        assertEquals("01234", Files.readString(partial), "what fitted, not the buffer past the limit");
        sink.getBody().toCompletableFuture().get();
        sink.onNext(ascii("78"));
        assertEquals("01234", Files.readString(partial), "nothing after the cancel");
        assertEquals(1, s.requested, "nothing asked for after the cancel");
    }

    @Test
    void aPartialThatCannotBeOpenedFailsTheBodyAndCancels() {
        Path partial = tmp.resolve("no-such-folder").resolve("f.gz");
        PartialFileSink sink = new PartialFileSink(partial, 0, 100);
        Counting s = new Counting();
        sink.onSubscribe(s);
        assertTrue(s.cancelled);
        assertEquals(0, s.requested);
        ExecutionException e = assertThrows(ExecutionException.class, () -> sink.getBody().toCompletableFuture().get());
        assertTrue(e.getCause() instanceof java.nio.file.NoSuchFileException, e.getCause().toString());
    }
}
