package org.bottrace.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bottrace.TestFiles;
import org.bottrace.event.Event;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Keeping only the EVE fields bottrace reads changes no event: EveKinds.FIELDS lists all it uses. */
class EveFilterTest {
  @ParameterizedTest
  @ValueSource(strings = {"devsim/suricata/eve.json", "suricata/arkime_irc/eve.json", "suricata/sv_dns_bug-1158/eve.json",
      "suricata/sv_output-eve-tftp-01/eve.json", "suricata/sv-fileinfo-expected-eve.json", "dcso/jsonparse_eve.json",
      "dcso/alertify_input.json", "suricata/zeek_irc-basic/eve.json"})
  void filteredAndFullParseGiveEqualEvents(String file) throws Exception {
    int compared = 0;
    for (String line : Files.readAllLines(TestFiles.data(file), StandardCharsets.UTF_8)) {
      byte[] b = line.getBytes(StandardCharsets.UTF_8);
      assertTrue(LogFileReader.isEve(b, 0, b.length), line);
      Map<String, Object> full = new HashMap<>(JsonLine.parse(b, 0, b.length, null));
      Map<String, Object> kept = new HashMap<>(JsonLine.parse(b, 0, b.length, EveKinds.FIELDS));
      String type = (String) full.get("event_type");
      Event a = EveKinds.map(type, new JsonRow(full));
      Event c = EveKinds.map(type, new JsonRow(kept));
      assertEquals(a, c, line);
      if (a != null) {
        compared++;
      }
      assertTrue(kept.size() <= full.size());
    }
    assertTrue(compared > 0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"ts\":1.0,\"event_typo\":1}", "{\"_path\":\"conn\",\"note\":\"event_type\"}"})
  void zeekJsonIsNotTakenForEve(String line) {
    byte[] b = line.getBytes(StandardCharsets.UTF_8);
    assertEquals(false, LogFileReader.isEve(b, 0, b.length));
  }

  @org.junit.jupiter.api.Test
  void chunkedReading_messagesAndCountsInFileOrderAcrossManyChunks(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
      throws Exception {
    StringBuilder b = new StringBuilder(ZeekTsvTest.HEAD + "#path\tconn\n" + ZeekTsvTest.CONN_FIELDS);
    for (int i = 0; i < 5000; i++) {
      b.append(i % 1500 == 7 ? "garbage line " + i + "\n" : ZeekTsvTest.CONN_ROW);
      if (i == 2500) {
        b.append(ZeekTsvTest.HEAD + "#path\tconn\n" + ZeekTsvTest.CONN_FIELDS);
      }
    }
    java.nio.file.Path f = dir.resolve("conn.log");
    Files.writeString(f, b.toString());
    org.bottrace.Run r = org.bottrace.Run.of("replay", "--stats", dir.resolve("s.json").toString(), f.toString());
    List<String> errs = r.err().lines().toList();
    assertEquals("bottrace: " + f + ":14: skipped malformed line: only 1 of the 21 fields of the #fields header",
        errs.get(0));
    assertEquals("bottrace: " + f + ": skipped 3 more malformed lines", errs.get(1));
    com.fasterxml.jackson.databind.JsonNode s = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(dir.resolve("s.json").toFile());
    assertEquals(5000, s.get("files").get(0).get("records").asInt());
    assertEquals(4, s.get("files").get(0).get("malformed").asInt());
  }
}
