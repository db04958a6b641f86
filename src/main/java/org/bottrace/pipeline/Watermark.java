package org.bottrace.pipeline;

import java.util.Arrays;

/**
 * The watermark over several sources: the smallest availability time any live source may still
 * deliver (each source's frontier is the largest availability time it has shown), minus the lateness
 * bound. It never moves backwards. A record whose availability time is below it is late.
 */
final class Watermark {
  private final long latenessMicros;
  private final long[] frontier;
  private final boolean[] done;
  private long value = Long.MIN_VALUE;

  Watermark(int sources, long latenessMicros) {
    this.latenessMicros = latenessMicros;
    this.frontier = new long[sources];
    this.done = new boolean[sources];
    Arrays.fill(frontier, Long.MIN_VALUE);
  }

  /** Source {@code s} has shown a record available at {@code t}. */
  void observe(int s, long t) {
    if (t > frontier[s]) {
      frontier[s] = t;
    }
  }

  /** Source {@code s} will deliver nothing more. */
  void finish(int s) {
    done[s] = true;
  }

  /** Recomputes and returns the watermark. */
  long update() {
    long min = Long.MAX_VALUE;
    boolean any = false;
    for (int i = 0; i < frontier.length; i++) {
      if (!done[i]) {
        any = true;
        min = Math.min(min, frontier[i]);
      }
    }
    if (!any) {
      value = Long.MAX_VALUE;
    } else if (min != Long.MIN_VALUE && min - latenessMicros > value) {
      value = min - latenessMicros;
    }
    return value;
  }

  long value() {
    return value;
  }

  boolean isLate(long availableAt) {
    return availableAt < value;
  }
}
