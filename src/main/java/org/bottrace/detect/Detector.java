package org.bottrace.detect;

import org.bottrace.event.Event;

/**
 * One detection mechanism. Called on one thread, in the order records become available; it keeps its
 * state in caches from {@link DetectorContext#cache} and reports through {@link DetectorContext#emit}.
 */
public interface Detector {
  /** A record, in availability order. Its event time may be earlier than the watermark (a late record). */
  void onEvent(Event e);

  /** The watermark moved: nothing earlier than this (minus lateness) is expected any more. */
  default void onWatermark(long watermarkMicros) {}

  /** The input ended (replay): report whatever is still pending. */
  default void onEnd() {}
}
