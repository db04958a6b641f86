package org.bottrace.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.bottrace.bench.GenerateLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same JSON logs replayed with {@link JsonScanner} and with Jackson's parser, the reader it replaced,
 * give the same notices, byte for byte: devsim's Zeek JSON (with bottrace's Zeek package) and EVE, and
 * 60,000 events of the benchmark's busy-site EVE mix.
 */
class JsonScannerReplayTest {
  @TempDir
  Path dir;

  private static String replay(boolean jackson, String... args) {
    JsonLine.jackson = jackson;
    try {
      Run r = Run.of(args);
      assertEquals(0, r.code(), r.err());
      return r.out();
    } finally {
      JsonLine.jackson = false;
    }
  }

  @Test
  void devsimAndABusySitesEve_sameNoticesAsWithJackson() throws Exception {
    Path mix = dir.resolve("mix-eve.json");
    GenerateLogs.writeEveMix(mix, 60_000);
    Path config = Files.writeString(dir.resolve("bottrace.yaml"), "home_networks: [127.0.0.0/8, 10.0.0.0/8]\n");
    String[] args = {"replay", "-q", "--config", config.toString(),
        TestFiles.data("devsim/zeek-package-json").toString(), TestFiles.data("devsim/suricata/eve.json").toString(),
        mix.toString()};
    String scanned = replay(false, args);
    String jackson = replay(true, args);
    List<JsonNode> notices = Notices.parse(scanned);
    TreeMap<String, Integer> byNote = new TreeMap<>();
    notices.forEach(n -> byNote.merge(n.get("note").asText(), 1, Integer::sum));
    assertTrue(byNote.containsKey("IRC::BotClient") && byNote.containsKey("IRC::CCServer") && byNote.containsKey("Bot::Download"), byNote.toString());
    assertEquals(jackson, scanned, "the same notices with either reader");
  }
}
