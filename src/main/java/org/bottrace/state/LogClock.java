package org.bottrace.state;

import com.github.benmanes.caffeine.cache.Ticker;

/**
 * The log clock: the watermark in microseconds, never moving backwards, seen by the caches as a
 * {@link Ticker} in nanoseconds. Nothing here reads the wall clock.
 */
public final class LogClock implements Ticker {
  private long micros = Long.MIN_VALUE;

  /** Moves the clock forward to {@code watermarkMicros}; an earlier value is ignored. */
  public boolean advanceTo(long watermarkMicros) {
    if (watermarkMicros > micros) {
      micros = watermarkMicros;
      return true;
    }
    return false;
  }

  /** The watermark in microseconds, or Long.MIN_VALUE before the first record. */
  public long micros() {
    return micros;
  }

  @Override
  public long read() {
    if (micros == Long.MIN_VALUE) {
      return 0;
    }
    // saturate: the end-of-input watermark is Long.MAX_VALUE
    return micros > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE / 2 : micros * 1000;
  }
}
