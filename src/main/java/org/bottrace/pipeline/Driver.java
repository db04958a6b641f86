package org.bottrace.pipeline;

import java.io.IOException;
import org.bottrace.event.Event;

/**
 * Hands merged records to the pipeline and moves the watermark, the same way for replay and follow:
 * what the detectors see depends only on the sequence of records, never on how they were read.
 */
final class Driver {
  private static final long STEP_MICROS = 1_000_000L;

  private final Pipeline pipeline;
  private final RunStats stats;
  private final Watermark wm;
  private long lastStep = Long.MIN_VALUE;

  Driver(Pipeline pipeline, RunStats stats, long latenessMicros) {
    this.pipeline = pipeline;
    this.stats = stats;
    this.wm = new Watermark(latenessMicros);
  }

  /** The next record in merge order. */
  void process(Event e) throws IOException {
    if (wm.isLate(e.availableAt())) {
      stats.late++;
    }
    long w = wm.record(e.availableAt());
    if (lastStep == Long.MIN_VALUE) {
      // the log clock starts before the first record touches a cache
      lastStep = w;
      pipeline.watermark(w);
    } else {
      step(w); // time moves to the record first: what ended before it is closed before it counts
    }
    pipeline.accept(e);
  }

  /** Follow mode, every input silent past the idle time: log time moves on with the wall clock. */
  void idle(long quietMicros) throws IOException {
    if (lastStep != Long.MIN_VALUE) {
      step(wm.idle(quietMicros));
    }
  }

  private void step(long w) throws IOException {
    // detectors hear of the watermark in steps of a second of log time: enough for windows and expiry,
    // and cheap per record; the step points depend on the records only
    if (w - lastStep >= STEP_MICROS) {
      lastStep = w;
      pipeline.watermark(w);
    }
  }

  /** The input is over: detectors flush, state expires. */
  void end() throws IOException {
    pipeline.end();
  }

  /** A run stops: detectors report what is pending, state is kept for the checkpoint. */
  void report() throws IOException {
    pipeline.report();
  }

  /** The clocks, for a checkpoint. */
  com.fasterxml.jackson.databind.node.ObjectNode snapshot() {
    com.fasterxml.jackson.databind.node.ObjectNode n = Checkpoints.MAPPER.createObjectNode();
    n.put("merge_clock", wm.clock());
    n.put("record_clock", wm.recordClock());
    n.put("watermark", wm.value());
    n.put("step", lastStep);
    n.put("late", stats.late);
    return n;
  }

  void restore(com.fasterxml.jackson.databind.JsonNode n) {
    restore(n.path("merge_clock").asLong(Long.MIN_VALUE), n.path("record_clock").asLong(Long.MIN_VALUE),
        n.path("watermark").asLong(Long.MIN_VALUE), n.path("step").asLong(Long.MIN_VALUE));
    stats.late = n.path("late").asLong();
  }

  void restore(long clock, long recordClock, long value, long step) {
    wm.restore(clock, recordClock, value);
    lastStep = step;
  }
}
