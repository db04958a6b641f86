package org.bottrace.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bottrace.sink.JsonNoticeSink;
import org.bottrace.source.Diagnostics;
import org.bottrace.source.TailedFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The follow loop with a fake wall clock: the only thing the wall clock may do is move an idle run's log time. */
class FollowTest {
  @TempDir
  Path dir;

  @Test
  void quietNight_wallClockMovesLogTimeSoSessionsEnd() throws Exception {
    Path irc = dir.resolve("irc.log");
    List<String> lines = Files.readAllLines(Path.of("src/test/resources/data/devsim/zeek/irc.log"));
    // the header and daan's four rows only
    Files.write(irc, lines.subList(0, 12), StandardCharsets.UTF_8);
    List<String> messages = new ArrayList<>();
    Diagnostics diag = new Diagnostics(messages::add, () -> 0L);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    AtomicLong wall = new AtomicLong(1_000_000_000L);
    RunStats stats = new RunStats();
    try (JsonNoticeSink sink = new JsonNoticeSink(out);
        TailedFile tail = new TailedFile(irc, diag, null, true, List.of())) {
      Pipeline p = new Pipeline(Settings.defaults(), sink, diag, stats);
      Follow f = new Follow(List.of(tail), p, 300_000_000L, 300_000_000_000L, stats, wall::get);
      assertEquals(4, f.step());
      sink.flush();
      assertEquals("", out.toString(StandardCharsets.UTF_8), "the session is still open");
      wall.addAndGet(299_000_000_000L); // 4 min 59 s of silence: not idle yet
      assertEquals(0, f.step());
      sink.flush();
      assertEquals("", out.toString(StandardCharsets.UTF_8));
      // after the idle time, log time follows the wall clock: 5 min lateness + 2 min quiet have passed at 12 min
      wall.addAndGet(12 * 60_000_000_000L);
      assertEquals(0, f.step());
      sink.flush();
      String n = out.toString(StandardCharsets.UTF_8);
      assertTrue(n.contains("\"msg\":\"IRC client 84.104.213.17 as daan on 85.17.184.21:6667, registered, joined "
          + "#offtopic, #support\""), n);
      // a line after the quiet night is read as usual
      Files.write(irc, lines.subList(12, 14), StandardCharsets.UTF_8, StandardOpenOption.APPEND);
      assertEquals(2, f.step());
    }
  }
}
