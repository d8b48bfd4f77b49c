package io.readout.datasets.fetch;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body written into a partial file as the HTTP client hands over its buffers. Every byte that
 * arrived is on disk before the body's end or its error is signalled, so a connection cut short keeps all it sent
 * (the JDK's {@code ofInputStream} drops what it holds unread when the connection fails). A body that grows past
 * {@code maxBytes} is refused: the subscription is cancelled and {@link #tooLarge()} says so.
 */
final class PartialFileSink implements HttpResponse.BodySubscriber<Void> {
    private final Path partial;
    private final boolean append;
    private final long maxBytes;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private FileChannel channel;
    private Flow.Subscription subscription;
    private volatile long written;
    private volatile boolean tooLarge;

    /**
     * @param continuing the bytes the partial holds and the body continues (a 206 answer), or 0: the body replaces
     *     the partial
     * @param maxBytes the most the partial may hold
     */
    PartialFileSink(Path partial, long continuing, long maxBytes) {
        this.partial = partial;
        this.append = continuing > 0;
        this.written = continuing;
        this.maxBytes = maxBytes;
    }

    /** Whether the body continues the partial. */
    boolean append() {
        return append;
    }

    /** The bytes the partial holds: those it had and those that came. */
    long written() {
        return written;
    }

    /** Whether the body was refused for passing {@code maxBytes}. */
    boolean tooLarge() {
        return tooLarge;
    }

    @Override
    public CompletionStage<Void> getBody() {
        return done;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        try {
            channel = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            s.cancel();
            done.completeExceptionally(e);
            return;
        }
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (done.isDone()) {
            return;
        }
        try {
            for (ByteBuffer b : buffers) {
                if (written + b.remaining() > maxBytes) {
                    tooLarge = true;
                    subscription.cancel();
                    close();
                    done.complete(null);
                    return;
                }
                long n = b.remaining();
                while (b.hasRemaining()) {
                    channel.write(b);
                }
                written += n;
            }
        } catch (IOException e) {
            subscription.cancel();
            closeAfter(e);
            return;
        }
        subscription.request(1);
    }

    @Override
    public void onError(Throwable t) {
        closeAfter(t);
    }

    @Override
    public void onComplete() {
        try {
            close();
            done.complete(null);
        } catch (IOException e) {
            done.completeExceptionally(e);
        }
    }

    private void closeAfter(Throwable t) {
        try {
            close();
        } catch (IOException e) {
            t.addSuppressed(e);
        }
        done.completeExceptionally(t);
    }

    private void close() throws IOException {
        if (channel != null && channel.isOpen()) {
            channel.close();
        }
    }
}
