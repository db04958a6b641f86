package org.bottrace.pipeline;

import java.io.IOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bottrace.event.Event;
import org.bottrace.source.LogFileReader;

/**
 * Reads and parses one file ahead of the merge on a worker pool, in batches, so parsing runs on
 * other cores while the pipeline thread merges and detects. At most {@link #BATCHES} batches of
 * {@link #BATCH} events wait per file, so memory stays bounded whatever the input. Events keep their
 * file order; the merge and everything after it stay on one thread.
 */
final class Prefetch {
  static final int BATCH = 512;
  static final int BATCHES = 4;

  private final LogFileReader reader;
  private final Executor pool;
  private final ArrayBlockingQueue<Object[]> queue = new ArrayBlockingQueue<>(BATCHES);
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private volatile boolean exhausted;
  private Object[] current;
  private int pos;

  /** A batch ends early at the end of the file; its last slot then holds END or the IOException. */
  private static final Object END = new Object();

  Prefetch(LogFileReader reader, Executor pool) {
    this.reader = reader;
    this.pool = pool;
    schedule();
  }

  private void schedule() {
    if (!exhausted && queue.remainingCapacity() > 0 && scheduled.compareAndSet(false, true)) {
      pool.execute(this::fill);
    }
  }

  /** Worker side: reads one batch. Only one fill runs at a time per file. */
  private void fill() {
    Object[] batch = new Object[BATCH + 1];
    int n = 0;
    try {
      Event e;
      while (n < BATCH && (e = reader.next()) != null) {
        batch[n++] = e;
      }
      if (n < BATCH) {
        batch[n] = END;
        exhausted = true;
      }
    } catch (IOException | RuntimeException ex) {
      batch[n] = ex;
      exhausted = true;
    }
    queue.add(batch); // room is guaranteed: only this task adds, and it was scheduled with room
    scheduled.set(false);
    schedule();
  }

  /** The file's next event, or null at its end; rethrows the reader's failure in order. */
  Event next() throws IOException {
    while (true) {
      if (current != null && pos <= BATCH) {
        Object o = current[pos];
        if (o instanceof Event) {
          pos++;
          return (Event) o;
        }
        if (o == END) {
          return null;
        }
        if (o instanceof IOException) {
          current[pos] = END;
          throw (IOException) o;
        }
        if (o instanceof RuntimeException) {
          current[pos] = END;
          throw (RuntimeException) o;
        }
      }
      try {
        current = queue.take();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while reading " + reader.name(), ex);
      }
      pos = 0;
      schedule();
    }
  }

  LogFileReader reader() {
    return reader;
  }
}
