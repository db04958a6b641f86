package org.bottrace.pipeline;

/**
 * The watermark: the merge's clock (the largest availability time of the records processed so far)
 * minus the lateness bound. The merge hands out records in availability order, so every input's
 * next record is at or after the merge clock, but for disorder within a file, which the lateness bound
 * absorbs. It depends only on the records processed, in order, so replay and follow move it alike;
 * it never moves backwards. A record whose availability time is below it is late.
 */
final class Watermark {
  private final long latenessMicros;
  private long clock = Long.MIN_VALUE;
  private long recordClock = Long.MIN_VALUE;
  private long value = Long.MIN_VALUE;

  Watermark(long latenessMicros) {
    this.latenessMicros = latenessMicros;
  }

  /** A record available at {@code t} is being processed; returns the watermark. */
  long record(long t) {
    recordClock = Math.max(recordClock, t);
    return advance(t);
  }

  private long advance(long t) {
    if (t > clock) {
      clock = t;
      long v = t == Long.MIN_VALUE ? t : t - latenessMicros;
      if (v > value) {
        value = v;
      }
    }
    return value;
  }

  /**
   * Follow mode, every input silent past the idle time: the merge clock is moved to the last record's
   * time plus {@code quietMicros}, the wall time the inputs have been silent (the only use of the wall
   * clock).
   */
  long idle(long quietMicros) {
    return recordClock == Long.MIN_VALUE ? value : advance(recordClock + quietMicros);
  }

  long value() {
    return value;
  }

  long clock() {
    return clock;
  }

  boolean isLate(long availableAt) {
    return availableAt < value;
  }

  long recordClock() {
    return recordClock;
  }

  /** Restores the clocks from a checkpoint. */
  void restore(long clock, long recordClock, long value) {
    this.clock = clock;
    this.recordClock = recordClock;
    this.value = value;
  }
}
