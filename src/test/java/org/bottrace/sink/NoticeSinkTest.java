package org.bottrace.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bottrace.Run;
import org.bottrace.event.FlowKey;
import org.bottrace.finding.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoticeSinkTest {
  /** A nick as a bot herder might choose it: tab, newline, backslash, comma, a lone "-" channel. */
  static Notice hostile() {
    Finding f = Finding.builder("IRC::ControlSession", 1795309839080880L)
        .rated(Finding.Severity.INFORMATIONAL, 1.0)
        .msg("IRC client 10.0.0.5 as evil\tnick\nX on 85.17.184.21:6667")
        .sub("evil\tnick\nX,\\x41")
        .conn("CQdMTl1YmwVJ99Thel", new FlowKey("10.0.0.5", 50447, "85.17.184.21", 6667, "tcp"))
        .src("10.0.0.5").dst("85.17.184.21").port(6667)
        .uid("a,b")
        .key("k").window(0)
        .evidence("channels", List.of("-", "#caf\u00e9\u2028"))
        .evidence("long", "x".repeat(600))
        .build();
    return Notice.of(f, "IRC::ControlSession", 2, Map.of());
  }

  @Test
  void json_oneAsciiLinePerNoticeWithEverythingEscaped() throws Exception {
    String line = JsonNoticeSink.toJson(hostile());
    assertFalse(line.contains("\n"));
    assertTrue(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f), line);
    JsonNode n = new ObjectMapper().readTree(line);
    assertEquals("evil\tnick\nX,\\x41", n.get("sub").asText());
    assertEquals("#caf\u00e9\u2028", n.get("evidence").get("channels").get(1).asText());
    assertEquals("x".repeat(512) + "...[88 more chars]", n.get("evidence").get("long").asText());
    assertEquals(List.of("ts", "@timestamp", "id", "subject", "note", "severity", "confidence", "msg", "sub", "uid",
        "conn", "src", "dst", "p", "uids", "detector", "evidence", "enrichment", "suppressed"), iterate(n.fieldNames()));
    assertEquals(List.of("orig_h", "orig_p", "resp_h", "resp_p", "proto"), iterate(n.get("conn").fieldNames()),
        "Zeek's conn_id as an object: no field is both a value (id) and a prefix (id.orig_h)");
    assertEquals("2026-11-22T01:10:39.080880Z", n.get("@timestamp").asText());
    assertEquals(1795309839.08088, n.get("ts").asDouble());
    assertEquals(2, n.get("suppressed").asInt());
  }

  @Test
  void json_readsBackWhatFeedbackUses_andSaysWhyALineIsNoNotice() {
    Finding f = Finding.builder("Bot::Download", 1795309839080880L).rated(Finding.Severity.HIGH, 0.9)
        .msg("10.0.0.5 fetched u.exe").src("10.0.0.5").dst("47.94.117.203").port(80).stage(Finding.Stage.DOWNLOAD)
        .uid("C1").name("dl.example").url("http://dl.example/u.exe").server("47.94.117.203", Finding.Role.DOWNLOAD)
        .server("85.17.184.21", Finding.Role.CC).key("10.0.0.5").build();
    Map<String, Object> servers = Map.of("servers", List.of(Map.of("ip", "47.94.117.203", "role", "download"),
        Map.of("ip", "85.17.184.21", "role", "cc")));
    String line = JsonNoticeSink.toJson(Notice.of(f, "Bot::Download", 0, servers));
    Finding back = JsonNoticeSink.read(line.getBytes(StandardCharsets.UTF_8));
    assertEquals(List.of("Bot::Download", 1795309839080880L, Finding.Severity.HIGH, 0.9, "10.0.0.5", "47.94.117.203",
        80, Finding.Stage.DOWNLOAD, Finding.Actor.BOT, List.of("dl.example"), "http://dl.example/u.exe",
        List.of(new Finding.Server("47.94.117.203", Finding.Role.DOWNLOAD), new Finding.Server("85.17.184.21",
            Finding.Role.CC)), List.of("C1")),
        List.of(back.note(), back.ts(), back.severity(), back.confidence(), back.src(), back.dst(), back.p(),
            back.stage(), back.acting(), back.names(), back.url(), back.servers(), back.uids()));
    String ids = "\"id\":\"[0-9a-f]+\",\"subject\":\"[0-9a-f]+\",";
    assertEquals(line.replaceFirst(ids, ""),
        JsonNoticeSink.toJson(Notice.of(back, "Bot::Download", 0, servers)).replaceFirst(ids, ""),
        "read back and written again, the same but for the ids (the subject id is the key read back)");
    String[][] bad = {{"not json", "not JSON: "}, {"[1]", "not a JSON object"},
        {"{\"@timestamp\":\"2026-11-22T01:10:39Z\",\"rule\":{\"name\":\"IRC::CCServer\"}}",
            "an ECS notice (notices.format ecs): only json notices can be read back"},
        {line.replace("\"note\":", "\"n\":"), "no note"},
        {line.replace("\"high\"", "\"urgent\""), "severity is none of informational, low, medium, high, critical"}};
    for (String[] b : bad) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> JsonNoticeSink.read(b[0].getBytes(StandardCharsets.UTF_8)), b[0]);
      assertTrue(e.getMessage().startsWith(b[1]), e.getMessage());
    }
  }

  @Test
  void zeek_escapesAsZeekDoesAndReadsBackThroughOurOwnReader(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ZeekNoticeSink s = new ZeekNoticeSink(out)) {
      s.write(hostile());
    }
    String log = out.toString(StandardCharsets.UTF_8);
    String[] lines = log.split("\n");
    assertEquals(10, lines.length);
    assertEquals("#open\t2026-11-22-01-10-39", lines[5]);
    assertEquals("#close\t2026-11-22-01-10-39", lines[9]);
    String[] cols = lines[8].split("\t", -1);
    assertEquals(22, cols.length);
    assertEquals("1795309839.080880", cols[0]);
    assertEquals("informational", cols[4]);
    assertEquals("1.000", cols[5]);
    assertEquals("evil\\x09nick\\x0aX,\\x5cx41", cols[7]);
    String cid = new FlowKey("10.0.0.5", 50447, "85.17.184.21", 6667, "tcp").communityId();
    assertEquals(cid + ",CQdMTl1YmwVJ99Thel,a\\x2cb", cols[17]);
    // the evidence column is JSON text; the lone "-" inside it is not a Zeek unset field
    assertTrue(cols[19].startsWith("{\"channels\":[\"-\",\"#caf\\x5cu00E9\\x5cu2028\"],\"long\":\"xxx"), cols[19]);
    assertTrue(cols[19].endsWith("...[88 more chars]\"}"), cols[19]);
    // a real Zeek log: our own TSV reader takes it without complaint
    Path f = dir.resolve("bottrace.log");
    Files.writeString(f, log);
    Run r = Run.of("replay", "--stats", dir.resolve("s.json").toString(), f.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode st = new ObjectMapper().readTree(dir.resolve("s.json").toFile());
    assertEquals("bottrace", st.get("files").get(0).get("kind").asText());
    assertEquals(1, st.get("files").get(0).get("records").asInt());
    assertEquals(0, st.get("files").get(0).get("malformed").asInt());
  }

  @Test
  void zeek_valueThatLooksLikeUnsetOrEmptyIsEscaped() {
    StringBuilder b = new StringBuilder();
    ZeekNoticeSink.escape(b, "-", false);
    b.append('|');
    ZeekNoticeSink.escape(b, "(empty)", false);
    assertEquals("\\x2d|\\x28empty)", b.toString());
  }

  @Test
  void subject_stableForNoteKeyAndWindow_idUniquePerNotice() {
    Finding a = Finding.builder("N", 1).rated(Finding.Severity.LOW, 0.5).msg("a").key("k").window(5).build();
    Finding b = Finding.builder("N", 99).rated(Finding.Severity.LOW, 0.5).msg("b").key("k").window(5).build();
    Finding c = Finding.builder("N", 1).rated(Finding.Severity.LOW, 0.5).msg("a").key("k").window(6).build();
    Notice na = Notice.of(a, "D", 0, Map.of());
    Notice nb = Notice.of(b, "D", 0, Map.of());
    Notice nc = Notice.of(c, "D", 0, Map.of());
    assertEquals(na.subject(), nb.subject(), "an update of one verdict has its subject");
    assertFalse(na.subject().equals(nc.subject()));
    assertFalse(na.id().equals(nb.id()), "and its own id");
    assertEquals(na.id(), Notice.of(a, "D", 3, Map.of()).id(), "the same finding gives the same id");
    assertEquals(16, na.id().length());
    assertEquals(16, na.subject().length());
  }

  private static List<String> iterate(java.util.Iterator<String> it) {
    List<String> l = new java.util.ArrayList<>();
    it.forEachRemaining(l::add);
    return l;
  }
}
