package org.bottrace.detect;

import org.bottrace.event.Event;
import org.bottrace.finding.Finding;

/**
 * One detection mechanism. Called on one thread, in the order records become available; it keeps its
 * state in caches from {@link DetectorContext#cache} and reports through {@link DetectorContext#emit}.
 */
public interface Detector {
  /** A record, in availability order. Its event time may be earlier than the watermark (a late record). */
  void onEvent(Event e);

  /** The watermark moved: nothing earlier than this (minus lateness) is expected any more. */
  default void onWatermark(long watermarkMicros) {}

  /**
   * Another detector's finding, for detectors that correlate (an infection story, a C&amp;C name):
   * every finding not dropped by the allowlist, in output order, whether or not suppression writes it.
   * A finding emitted here is handled the same way, after the current batch.
   */
  default void onFinding(Finding f) {}

  /** The input ended (replay): report whatever is still pending. */
  default void onEnd() {}
}
