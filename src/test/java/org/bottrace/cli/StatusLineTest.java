package org.bottrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bottrace.pipeline.Follow;
import org.bottrace.state.StateStore;
import org.junit.jupiter.api.Test;

/** bottrace run's status line: one short line however many inputs and caches; the detail is in the file. */
class StatusLineTest {
  static final long T = 1_796_000_000_000_000L;

  @Test
  void oneShortLine_withTheInputMostBehind() {
    List<Follow.SourceStatus> sources = List.of(
        new Follow.SourceStatus(Path.of("/z/conn.log"), 900, 2048, 0, 0, 0, 0, false, T),
        new Follow.SourceStatus(Path.of("/z/dns.log"), 300, 0, 0, 2, 0, 0, false, T - 42_000_000L),
        new Follow.SourceStatus(Path.of("/z/irc.log"), 10, 0, 0, 0, 0, 0, true, T - 900_000_000L), // quiet
        new Follow.SourceStatus(Path.of("/z/pe.log"), 0, 0, 0, 0, 0, 0, true, Long.MIN_VALUE));
    List<StateStore.CacheInfo> caches = List.of(new StateStore.CacheInfo("a", 10, 1), new StateStore.CacheInfo("b", 5, 0));
    assertEquals("bottrace run: 1200 records/s, 3 late, 7 notices; 4 inputs (2 reading, 1 idle, 1 not written yet),"
        + " 2.0 KiB unread, dns.log 42 s behind the newest log time, 2 malformed; state 15 entries, 3 evicted",
        Status.line(1200, 3, 7, sources, caches, Map.of("irc.sessions", 2L)));
  }

  @Test
  void nothingYet() {
    assertEquals("bottrace run: 0 records/s, 0 late, 0 notices; 1 input (0 reading, 1 not written yet); state 0"
        + " entries, 0 evicted", Status.line(0, 0, 0, List.of(new Follow.SourceStatus(Path.of("eve.json"), 0, 0, 0, 0,
            0, 0, false, Long.MIN_VALUE)), List.of(), Map.of()));
  }
}
