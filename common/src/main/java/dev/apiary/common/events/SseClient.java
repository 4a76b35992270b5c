package dev.apiary.common.events;

import java.io.EOFException;
import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

/**
 * One connected client: a bounded queue of frames and a virtual thread of its own that writes them. The response
 * is in servlet non-blocking mode: the writer writes only when the container says the socket takes more
 * ({@code isReady()}, else it waits for {@code onWritePossible}), so a client that stops reading holds up its own
 * writer and nothing else, and its request can be completed from outside at any moment ({@link #cut}): no write is
 * ever in flight then, and the container's own completion does not block either (a blocking write, by contrast,
 * keeps the request in progress until the socket times out, and a graceful shutdown waits for it). Ending:
 * <ul>
 *   <li>{@link #end}: the queued frames, a last one, then the response completes (final state, gone);</li>
 *   <li>{@link #endNow}: the backlog is replaced by a last frame (fell behind, shutdown); the hub cuts the client
 *       if it cannot take it in time;</li>
 *   <li>{@link #cut}: completes the request now.</li>
 * </ul>
 */
final class SseClient {

    private final String stream;
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final int buffer;
    private final ArrayBlockingQueue<Frame> queue;
    private final long heartbeatNanos;
    private final long deadlineNanos;
    private final Frame deadlineFrame;
    private final Runnable abort;
    private final AtomicBoolean ending = new AtomicBoolean();
    private final AtomicBoolean finished = new AtomicBoolean();
    private final Consumer<SseClient> onFinished;
    private final Consumer<SseClient> onDone;
    /**
     * Locking: the writer holds {@code io} around each call into the output stream (never blocking: the stream is
     * non-blocking) and {@link #complete} takes it, so the request is never completed under a write. Container
     * callbacks never take {@code io} (the container may hold the connection's lock while calling them): they
     * signal {@code writable}, set {@code done} under {@code abortLock}, or hand the work to a thread of its own.
     */
    private final Object io = new Object();
    private final Semaphore writable = new Semaphore(0);
    private final Object abortLock = new Object();
    /** complete() was called, or the container finished the request. */
    private volatile boolean completed;
    /** The container finished (or failed) the request: its objects may be recycled, {@code abort} must not run. */
    private boolean done;

    /** What the stream last sent this client (guarded by the stream). */
    long seenSeq = -1;
    Frame lastSent;

    /**
     * Call from the request's thread, after the response is committed. {@code abort} closes the connection at
     * once (null: not available); {@code onFinished} runs when the client stops being served, {@code onDone} when
     * the container has finished its request.
     */
    SseClient(String stream, AsyncContext async, ServletOutputStream out, Runnable abort, int buffer,
              long heartbeatNanos, long deadlineNanos, Frame deadlineFrame, Consumer<SseClient> onFinished,
              Consumer<SseClient> onDone) {
        this.stream = stream;
        this.async = async;
        this.out = out;
        this.abort = abort;
        this.buffer = buffer;
        this.queue = new ArrayBlockingQueue<>(buffer + 2); // room for a last frame and END after any backlog
        this.heartbeatNanos = heartbeatNanos;
        this.deadlineNanos = deadlineNanos;
        this.deadlineFrame = deadlineFrame;
        this.onFinished = onFinished;
        this.onDone = onDone;
        async.addListener(new AsyncListener() {
            @Override
            public void onComplete(AsyncEvent event) {
                containerDone();
                finished();
                onDone.accept(SseClient.this);
            }

            @Override
            public void onTimeout(AsyncEvent event) {
                containerDone();
                Thread.ofVirtual().start(SseClient.this::cut);
            }

            @Override
            public void onError(AsyncEvent event) {
                containerDone();
                Thread.ofVirtual().start(SseClient.this::cut);
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        out.setWriteListener(new WriteListener() {
            @Override
            public void onWritePossible() {
                writable.release();
            }

            @Override
            public void onError(Throwable t) {
                containerDone();
                Thread.ofVirtual().start(SseClient.this::cut);
            }
        });
    }

    String stream() {
        return stream;
    }

    /**
     * Queues a frame. Answers false when the client already has {@code buffer} frames waiting: it fell behind and
     * is to be dropped. A client that is ending ignores the frame.
     */
    boolean offer(Frame f) {
        if (ending.get()) return true;
        return queue.size() < buffer && queue.offer(f);
    }

    /** Sends what is queued, then {@code last} (if any), then completes. */
    void end(Frame last) {
        if (!ending.compareAndSet(false, true)) return;
        if (last != null) queue.offer(last);
        queue.offer(Frame.END);
    }

    /** Ends now: the backlog is discarded for {@code last} (if any). False when the client was already ending. */
    boolean endNow(Frame last) {
        if (!ending.compareAndSet(false, true)) return false;
        queue.clear();
        if (last != null) queue.offer(last);
        queue.offer(Frame.END);
        return true;
    }

    /**
     * Ends the request now, whatever is still queued or unsent: the connection is closed at once (when the
     * container allows it), so nothing waits for a client that does not read.
     */
    void cut() {
        ending.set(true);
        abort();
        complete();
        finished();
    }

    int backlog() {
        return queue.size();
    }

    /** No longer served: ended, cut, or gone. */
    boolean isClosed() {
        return finished.get();
    }

    /** The writer: runs on a virtual thread of its own until the stream ends or the client goes away. */
    void write() {
        try {
            flush(); // whatever was queued before the writer started
            while (true) {
                long untilDeadline = deadlineNanos - System.nanoTime();
                if (untilDeadline <= 0 && !ending.get()) {
                    send(deadlineFrame);
                    flush();
                    return;
                }
                Frame f = queue.poll(Math.max(1, Math.min(heartbeatNanos, untilDeadline)), TimeUnit.NANOSECONDS);
                if (f == null) {
                    if (deadlineNanos - System.nanoTime() > 0) {
                        send(Frame.HEARTBEAT);
                        flush();
                    }
                    continue;
                }
                // everything already waiting goes out before one flush
                boolean end = false;
                while (f != null) {
                    if (f == Frame.END) {
                        end = true;
                        break;
                    }
                    send(f);
                    f = queue.poll();
                }
                flush();
                if (end) return;
            }
        } catch (IOException | RuntimeException e) {
            // the client went away, or the request was completed under the writer: nothing to tell anyone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ending.set(true);
            complete();
            finished();
        }
    }

    private void send(Frame f) throws IOException, InterruptedException {
        awaitWritable();
        synchronized (io) {
            if (completed) throw new EOFException("completed");
            out.write(f.bytes());
        }
    }

    private void flush() throws IOException, InterruptedException {
        awaitWritable();
        synchronized (io) {
            if (completed) throw new EOFException("completed");
            out.flush();
        }
    }

    /**
     * Waits until the container takes more. Gives up, closing the connection, on a client that takes nothing for
     * a heartbeat interval while its stream is ending (it only has its last events to take) or past its deadline.
     */
    private void awaitWritable() throws IOException, InterruptedException {
        long since = System.nanoTime();
        while (true) {
            synchronized (io) {
                if (completed) throw new EOFException("completed");
                if (out.isReady()) return; // else the container calls onWritePossible once it is
            }
            long now = System.nanoTime();
            if ((ending.get() && now - since >= heartbeatNanos) || now - deadlineNanos >= heartbeatNanos) {
                abort();
                throw new EOFException("the client takes nothing");
            }
            writable.tryAcquire(heartbeatNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** Closes the connection at once, unless the container is already done with the request. */
    private void abort() {
        synchronized (abortLock) {
            if (!done && abort != null) abort.run();
        }
    }

    private void containerDone() {
        synchronized (abortLock) {
            done = true;
        }
        completed = true;
        writable.release(); // wakes a writer waiting to write
    }

    private void complete() {
        synchronized (io) {
            if (completed) return;
            completed = true;
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // the container finished the request already
            }
        }
        writable.release();
    }

    private void finished() {
        if (finished.compareAndSet(false, true)) {
            queue.clear();
            queue.offer(Frame.END); // wakes a writer that is waiting for frames
            onFinished.accept(this);
        }
    }
}
