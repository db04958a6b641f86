package org.bottrace.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.ZeekLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The listing history (H2) and what it says of a server's administrator (document 004's lifetimes). */
class ListHistoryTest {
  @TempDir
  Path dir;

  @Test
  void firstAndLastListedDates() throws Exception {
    try (ListHistory h = ListHistory.open(dir.resolve("history"))) {
      h.record("botcc", LocalDate.of(2009, 4, 24), List.of("192.0.2.10/32", "192.0.2.20/32"));
      h.record("botcc", LocalDate.of(2010, 1, 31), List.of("192.0.2.10/32"));
      ListHistory.Listing a = h.lookup("192.0.2.10/32").get(0);
      assertEquals(LocalDate.of(2009, 4, 24), a.first());
      assertEquals(LocalDate.of(2010, 1, 31), a.last());
      assertEquals(282, a.days());
      assertTrue(a.current());
      ListHistory.Listing b = h.lookup("192.0.2.20/32").get(0);
      assertEquals(false, b.current(), "gone from the latest load");
      assertEquals(List.of(LocalDate.of(2009, 4, 24), LocalDate.of(2010, 1, 31)), h.loads("botcc"));
    }
    try (ListHistory again = ListHistory.open(dir.resolve("history"))) {
      assertEquals(1, again.lookup("192.0.2.20/32").size(), "kept on disk");
    }
  }

  @Test
  void continuouslyListedMeansEveryLoadBetween() throws Exception {
    try (ListHistory h = ListHistory.memory()) {
      h.record("cc", LocalDate.of(2026, 1, 1), List.of("a.example", "b.example"));
      h.record("cc", LocalDate.of(2026, 2, 1), List.of("a.example"));
      h.record("cc", LocalDate.of(2026, 2, 1), List.of("a.example")); // the same day again counts once
      h.record("cc", LocalDate.of(2026, 3, 1), List.of("a.example", "b.example"));
      assertEquals(true, h.lookup("a.example").get(0).continuous());
      assertEquals(false, h.lookup("b.example").get(0).continuous(), "missing from the February load");
      assertEquals(59, h.lookup("b.example").get(0).days());
    }
  }

  @Test
  void importThenEnrich_longLivedIsBulletproofShortLivedIsProfessional() throws Exception {
    Path a = dir.resolve("botcc-2009-04-24.txt");
    Files.writeString(a, "192.0.2.10\n192.0.2.30\n");
    Path b = dir.resolve("botcc-2010-01-25.txt");
    Files.writeString(b, "192.0.2.10\n192.0.2.50\n");
    Path c = dir.resolve("botcc-2010-02-01.txt");
    Files.writeString(c, "192.0.2.10\n");
    Path now = dir.resolve("botcc-current.txt");
    Files.writeString(now, "# today's list\n192.0.2.10\n");
    Path history = dir.resolve("lists");
    Run imp = Run.of("lists", "import", "--history", history.toString(), "--list", "botcc", a.toString(), b.toString(),
        c.toString());
    assertEquals(0, imp.code(), imp.err());
    assertEquals(a + ": botcc on 2009-04-24, 2 entries\n" + b + ": botcc on 2010-01-25, 2 entries\n" + c
        + ": botcc on 2010-02-01, 1 entries\n", imp.out());

    // logs of 2010-01-30: the listings as they were that day, whatever the history holds since
    Path z = dir.resolve("zeek");
    ZeekLog conn = ZeekLog.conn();
    conn.conn(1_264_809_600, "C0", "192.168.1.5", 40000, "192.0.2.50", 6667, "tcp", "irc", 1, 10, 10, "SF", "ShAdDaFf");
    conn.write(dir.resolve("old"));
    conn = ZeekLog.conn();
    conn.conn(1_790_000_000, "C1", "192.168.1.5", 40001, "192.0.2.10", 6667, "tcp", "irc", 1, 10, 10, "SF", "ShAdDaFf");
    conn.conn(1_790_000_001, "C2", "192.168.1.5", 40002, "192.0.2.50", 6667, "tcp", "irc", 1, 10, 10, "SF", "ShAdDaFf");
    conn.write(z);
    Path cc = dir.resolve("watch.txt");
    Files.writeString(cc, "192.0.2.10\n192.0.2.50\n");
    Path cfg = dir.resolve("bottrace.yaml");
    Files.writeString(cfg, String.format(Locale.ROOT, """
        enrichment:
          history: %s
          lists:
            - {name: botcc, path: %s, role: cc}
        detectors:
          Intel::Listed:
            lists:
              - {name: watch, path: %s, role: cc}
        """, history, now, cc));
    Run r = Run.of("replay", "--config", cfg.toString(), z.toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> n = Notices.parse(r.out());
    JsonNode ten = EnrichmentTest.server(n, "Intel::Listed", "192.0.2.10");
    assertEquals("bulletproof_or_unmanaged", ten.get("class").asText(), ten.toString());
    JsonNode listing = ten.get("lists").get(0);
    assertEquals("2009-04-24", listing.get("first_listed").asText());
    assertEquals("2010-02-01", listing.get("last_listed").asText());
    assertEquals(true, listing.get("still_listed").asBoolean(), "the latest load before the logs' day has it");
    assertEquals(true, listing.get("continuously").asBoolean(), "in every load since 2009-04-24");
    JsonNode fifty = EnrichmentTest.server(Notices.parse(r.out()), "Intel::Listed", "192.0.2.50");
    assertEquals("professional", fifty.get("class").asText(), fifty.toString());
    assertEquals(false, fifty.get("lists").get(0).get("still_listed").asBoolean());
    assertEquals(0, fifty.get("lists").get(0).get("listed_days").asInt(), "listed on 2010-01-25 only");
    assertTrue(fifty.get("class_reasons").get(0).asText().startsWith("on C&C list botcc 0 days, delisted by 2010-02-01"),
        fifty.toString());
    // a replay records nothing in the history: run again, on any day, it says the same
    assertEquals(r.out(), Run.of("replay", "--config", cfg.toString(), z.toString()).out());
    try (ListHistory h = ListHistory.open(history)) {
      assertEquals(java.util.List.of(java.time.LocalDate.of(2009, 4, 24), java.time.LocalDate.of(2010, 1, 25),
          java.time.LocalDate.of(2010, 2, 1)), h.loads("botcc"));
    }
    // as of 2010-01-30, 192.0.2.50 was still listed (its delisting came two days later): no "taken down"
    Run old = Run.of("replay", "--config", cfg.toString(), dir.resolve("old").toString());
    JsonNode then = EnrichmentTest.server(Notices.parse(old.out()), "Intel::Listed", "192.0.2.50");
    assertEquals(true, then.get("lists").get(0).get("still_listed").asBoolean(), then.toString());
    assertEquals("unknown", then.get("class").asText(), then.toString());
  }

  @Test
  void importNeedsADateInTheName() throws Exception {
    Path f = dir.resolve("botcc.txt");
    Files.writeString(f, "192.0.2.10\n");
    Run r = Run.of("lists", "import", "--history", dir.resolve("h").toString(), "--list", "botcc", f.toString());
    assertEquals(2, r.code());
    assertEquals("bottrace: command line: key 'FILE': cannot tell the date of " + f
        + ": put it in the name as YYYY-MM-DD, e.g. botcc-2009-04-24.rules\n", r.err());
  }
}
