package org.bottrace.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.LongConsumer;
import org.bottrace.event.Event;
import org.bottrace.source.Diagnostics;
import org.bottrace.source.LogFileReader;

/**
 * Replays finished log files: every file is read in its own order and the files are merged by
 * availability time, so detectors see records in the order a live run would have seen them.
 */
public final class Replay {
  private final List<Path> files;
  private final Pipeline pipeline;
  private final Diagnostics diag;
  private final long latenessMicros;
  private final RunStats stats;
  private final LongConsumer progress;

  private static final class Head implements Comparable<Head> {
    final int source;
    Event event;
    long seq;

    Head(int source) {
      this.source = source;
    }

    @Override
    public int compareTo(Head o) {
      int c = Long.compare(event.availableAt(), o.event.availableAt());
      if (c != 0) {
        return c;
      }
      c = Integer.compare(source, o.source);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  /**
   * @param files the files, in the order given (ties in availability time go to the earlier file)
   * @param pipeline where records go
   * @param diag where malformed lines and read errors are reported
   * @param latenessMicros the lateness bound
   * @param stats filled in as files are read
   * @param progress called every 65,536 records with the number read so far (may be null)
   */
  public Replay(List<Path> files, Pipeline pipeline, Diagnostics diag, long latenessMicros, RunStats stats,
      LongConsumer progress) {
    this.files = files;
    this.pipeline = pipeline;
    this.diag = diag;
    this.latenessMicros = latenessMicros;
    this.stats = stats;
    this.progress = progress;
  }

  /** Reads everything and ends the pipeline. */
  public void run() throws IOException {
    int n = files.size();
    LogFileReader[] readers = new LogFileReader[n];
    Prefetch[] ahead = new Prefetch[n];
    int threads = Integer.getInteger("bottrace.readers", Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() - 1)));
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "bottrace-reader");
      t.setDaemon(true);
      return t;
    });
    Driver driver = new Driver(pipeline, stats, latenessMicros);
    PriorityQueue<Head> queue = new PriorityQueue<>(Math.max(1, n));
    for (int i = 0; i < n; i++) {
      try {
        readers[i] = new LogFileReader(files.get(i), files.get(i).toString(), diag);
      } catch (IOException e) {
        diag.warn(files.get(i) + ": cannot be read: " + e.getMessage());
        stats.unreadable++;
        continue;
      }
      ahead[i] = new Prefetch(readers[i], pool);
      Head h = new Head(i);
      if (advance(ahead[i], h)) {
        queue.add(h);
      }
    }
    long count = 0;
    long seq = 0;
    try {
      while (!queue.isEmpty()) {
        Head h = queue.poll();
        driver.process(h.event);
        if (advance(ahead[h.source], h)) {
          h.seq = ++seq;
          queue.add(h);
        }
        if (progress != null && (++count & 0xffff) == 0) {
          progress.accept(totalRecords(readers));
        }
      }
      driver.end();
    } finally {
      pool.shutdownNow();
      for (int i = 0; i < n; i++) {
        LogFileReader r = readers[i];
        if (r != null) {
          stats.files.add(new RunStats.FileStats(files.get(i).toString(), r.kind(), r.records(), r.malformed()));
          r.close();
        } else {
          stats.files.add(new RunStats.FileStats(files.get(i).toString(), "unreadable", 0, 0));
        }
      }
    }
  }

  private static long totalRecords(LogFileReader[] readers) {
    long t = 0;
    for (LogFileReader r : readers) {
      if (r != null) {
        t += r.records();
      }
    }
    return t;
  }

  /** Reads the source's next event into the head; false (and the source finished) at its end. */
  private boolean advance(Prefetch p, Head h) {
    Event e;
    LogFileReader r = p.reader();
    try {
      e = p.next();
    } catch (IOException ex) {
      diag.warn(r.name() + ": read error after line " + r.lineNo() + " (" + ex.getMessage()
          + "); the rest of this file is skipped");
      stats.unreadable++;
      e = null;
    }
    if (e == null) {
      if (r.truncated()) {
        stats.unreadable++; // said by the reader; the exit code says it too
      }
      return false;
    }
    h.event = e;
    return true;
  }

}
