package org.bottrace.pipeline;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.bottrace.finding.Finding;
import org.bottrace.state.StateStore;

/**
 * Zeek-notice-framework style suppression: the same (note, src, dst, sub) is written at most once per
 * interval of event time; the next one written says how many were suppressed. A finding with a fact
 * not yet written (its evidence grew materially) is written at once.
 */
final class Suppressor {
  private final long intervalMicros;
  private final Cache<List<String>, State> seen;
  private long suppressedTotal;

  /** What is known of one (note, src, dst, sub); fields are written into checkpoints. */
  static final class State {
    long lastTs;
    TreeSet<String> facts = new TreeSet<>();
    long suppressed;
  }

  Suppressor(Duration interval, StateStore store) {
    this.intervalMicros = interval.toNanos() / 1000;
    // entries may go once a whole interval has passed without the finding: it would be written anyway
    this.seen = store.newCache("notices.suppression", 0, interval.plusSeconds(1), null,
        StateStore.Codec.of(new com.fasterxml.jackson.core.type.TypeReference<List<String>>() {},
            new com.fasterxml.jackson.core.type.TypeReference<State>() {}));
  }

  /** The number of findings suppressed before this one (>= 0) if it is to be written, or -1 if not. */
  long offer(Finding f) {
    if (intervalMicros <= 0) {
      return 0;
    }
    List<String> key = java.util.Arrays.asList(f.note(), f.src(), f.dst(), f.sub());
    State s = seen.getIfPresent(key);
    if (s == null) {
      s = new State();
      s.lastTs = f.ts();
      s.facts.addAll(f.facts());
      seen.put(key, s);
      return 0;
    }
    boolean grew = !s.facts.containsAll(f.facts());
    if (grew || Math.abs(f.ts() - s.lastTs) >= intervalMicros) {
      long before = s.suppressed;
      s.suppressed = 0;
      s.lastTs = Math.max(s.lastTs, f.ts());
      s.facts.addAll(f.facts());
      return before;
    }
    s.suppressed++;
    suppressedTotal++;
    return -1;
  }

  void restoreTotal(long total) {
    suppressedTotal = total;
  }

  long suppressedTotal() {
    return suppressedTotal;
  }
}
