package org.bottrace.pipeline;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bottrace.event.Event;
import org.bottrace.source.Chunk;
import org.bottrace.source.LogFileReader;

/**
 * Reads one file ahead of the merge: a reading task takes its lines in order (one at a time per
 * file), and each run of lines is parsed as its own task on the pool, so one file's lines are parsed on
 * every core while the pipeline thread merges and detects. At most {@link #AHEAD} runs wait per file,
 * so memory stays bounded whatever the input. The pipeline thread takes the runs in file order, so
 * events, counts and messages come out exactly as a plain sequential read gives them.
 */
final class Prefetch {
  static final int AHEAD = 6;

  private final LogFileReader reader;
  private final Executor pool;
  private final ArrayBlockingQueue<CompletableFuture<Chunk>> queue = new ArrayBlockingQueue<>(AHEAD);
  private final AtomicBoolean reading = new AtomicBoolean();
  private volatile boolean exhausted;
  private Chunk current;
  private int pos;
  private boolean done;

  Prefetch(LogFileReader reader, Executor pool) {
    this.reader = reader;
    this.pool = pool;
    schedule();
  }

  private void schedule() {
    if (!exhausted && queue.remainingCapacity() > 0 && reading.compareAndSet(false, true)) {
      pool.execute(this::read);
    }
  }

  /** Reading task: only one runs at a time per file, so the reader's line state has one owner. */
  private void read() {
    try {
      while (!exhausted && queue.remainingCapacity() > 0) {
        Chunk c;
        try {
          c = reader.readChunk();
        } catch (IOException | RuntimeException | Error ex) {
          exhausted = true;
          queue.add(CompletableFuture.failedFuture(ex));
          break;
        }
        if (c == null) {
          exhausted = true;
          queue.add(CompletableFuture.completedFuture(null));
          break;
        }
        queue.add(CompletableFuture.supplyAsync(() -> {
          reader.parse(c);
          return c;
        }, pool));
      }
    } finally {
      reading.set(false);
    }
    schedule(); // room may have been made while this task was finishing
  }

  /** The file's next event, or null at its end; rethrows the reader's failure in order. */
  Event next() throws IOException {
    while (true) {
      if (current != null && pos < current.eventCount()) {
        return current.event(pos++);
      }
      if (done) {
        return null;
      }
      CompletableFuture<Chunk> f;
      try {
        f = queue.take();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reading " + reader.name(), ex);
      }
      schedule();
      Chunk c;
      try {
        c = f.get();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reading " + reader.name(), ex);
      } catch (ExecutionException ex) {
        done = true;
        reader.finish();
        Throwable cause = ex.getCause();
        if (cause instanceof IOException) {
          throw (IOException) cause;
        }
        if (cause instanceof Error) {
          throw (Error) cause; // OutOfMemoryError: the command ends with its own code
        }
        throw cause instanceof RuntimeException ? (RuntimeException) cause : new IllegalStateException(cause);
      }
      if (c == null) {
        done = true;
        reader.finish();
        return null;
      }
      reader.take(c);
      current = c;
      pos = 0;
    }
  }

  LogFileReader reader() {
    return reader;
  }
}
