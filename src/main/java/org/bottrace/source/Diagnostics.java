package org.bottrace.source;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Reports malformed lines on stderr: the first one of each file at once with file:line and the
 * reason, then at most one line a minute per file saying how many more were skipped. The wall clock
 * here only paces messages; it never touches detection. Safe to call from several reader threads.
 */
public final class Diagnostics {
  private static final long MINUTE_NANOS = 60_000_000_000L;

  private final Consumer<String> err;
  private final LongSupplier nanoClock;
  private final Map<String, long[]> perFile = new HashMap<>();

  /** Messages (one line each) go to {@code err}, paced by {@code nanoClock} (System::nanoTime outside tests). */
  public Diagnostics(Consumer<String> err, LongSupplier nanoClock) {
    this.err = err;
    this.nanoClock = nanoClock;
  }

  /** A malformed line was skipped. */
  public synchronized void malformed(String file, long line, String reason) {
    long now = nanoClock.getAsLong();
    long[] st = perFile.get(file);
    if (st == null) {
      perFile.put(file, new long[] {now, 0});
      err.accept(Printable.of("bottrace: " + file + ":" + line + ": skipped malformed line: " + reason));
      return;
    }
    st[1]++;
    if (now - st[0] >= MINUTE_NANOS) {
      err.accept(Printable.of("bottrace: " + file + ":" + line + ": skipped " + st[1] + " more malformed line"
          + (st[1] == 1 ? "" : "s") + " since the last report; the last: " + reason));
      st[0] = now;
      st[1] = 0;
    }
  }

  /** At the end of a file: says how many malformed lines were not reported one by one. */
  public synchronized void endOfFile(String file) {
    long[] st = perFile.get(file);
    if (st != null && st[1] > 0) {
      err.accept(Printable.of("bottrace: " + file + ": skipped " + st[1] + " more malformed line" + (st[1] == 1 ? "" : "s")));
      st[1] = 0;
    }
  }

  /** Any other warning about the input. */
  public synchronized void warn(String message) {
    err.accept(Printable.of("bottrace: " + message));
  }
}
