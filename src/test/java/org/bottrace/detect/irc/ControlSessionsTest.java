package org.bottrace.detect.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ControlSessionsTest {
  @ParameterizedTest
  @ValueSource(strings = {"devsim/zeek", "devsim/zeek-json"})
  void devsim_oneNoticePerClientWithChannelsAndKeys(String folder) throws Exception {
    Run r = Run.of("replay", TestFiles.data(folder).toString(), TestFiles.data("devsim/suricata/eve.json").toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> notices = Notices.parse(r.out());
    List<JsonNode> sessions = Notices.of(notices, "IRC::ControlSession");
    assertEquals(15, sessions.size());
    assertTrue(notices.stream().allMatch(n -> n.get("note").asText().matches("(IRC|Scan|Bot|DNS|Host)::.*")),
        "nothing beyond the IRC and infection-stage detectors without lists configured");

    JsonNode labels = new ObjectMapper().readTree(TestFiles.data("devsim/labels.json").toFile());
    Map<String, JsonNode> byIp = new HashMap<>();
    for (JsonNode s : sessions) {
      byIp.put(s.get("src").asText(), s);
    }
    int clients = 0;
    for (JsonNode h : labels.get("hosts")) {
      String role = h.get("role").asText();
      if (!Set.of("bot", "human", "herder").contains(role)) {
        continue;
      }
      clients++;
      JsonNode s = byIp.get(h.get("ip").asText());
      JsonNode ev = s.get("evidence");
      assertEquals("85.17.184.21", s.get("dst").asText());
      assertEquals(6667, s.get("p").asInt());
      assertEquals(List.of(h.get("nick").asText()), Notices.strings(ev.get("nicks")));
      assertEquals(new HashSet<>(Notices.strings(h.get("channels"))), new HashSet<>(Notices.strings(ev.get("channels"))),
          h.get("ip").asText());
      // Zeek uid, community id and Suricata's flow id of the same connection
      assertEquals(3, s.get("uids").size(), s.toString());
      if (role.equals("bot")) {
        assertEquals("hX9-k2v", Notices.pair(ev.get("channel_keys"), "channel", "#dev-ops", "key").asText());
        assertEquals(9, Notices.pair(ev.get("channel_clients_seen"), "channel", "#dev-ops", "clients").asInt(),
            "8 bots and the herder");
        assertTrue(s.get("msg").asText().endsWith("joined #dev-ops (key hX9-k2v)"), s.get("msg").asText());
      } else {
        assertNull(ev.get("channel_keys"), h.get("ip").asText());
      }
      assertNull(ev.get("pass"), "not visible in irc.log");
      assertFalse(ev.get("pass_visible").asBoolean());
    }
    assertEquals(15, clients);
  }

  @Test
  void devsim_withIrcCmdLog_passIsKnownAbsentAndModeSeen() {
    Run r = Run.of("replay", TestFiles.data("devsim/zeek-package/irc.log").toString(),
        TestFiles.data("devsim/zeek-package/irc_cmd.log").toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> n = Notices.of(Notices.parse(r.out()), "IRC::ControlSession");
    assertEquals(15, n.size());
    int withMode = 0;
    for (JsonNode s : n) {
      JsonNode ev = s.get("evidence");
      assertEquals(false, ev.get("pass").asBoolean(), "ngircd runs without a server password");
      assertTrue(Notices.strings(ev.get("sources")).contains("bottrace irc_cmd.log"));
      if (Notices.strings(ev.get("commands")).contains("MODE")) {
        withMode++;
      }
    }
    assertEquals(7, withMode, "the six people's clients and the herder send MODE; the bots do not");
  }

  @Test
  void devsim_tsvAndJsonGiveTheSameNoticeIds() {
    Run tsv = Run.of("replay", TestFiles.data("devsim/zeek/irc.log").toString());
    Run json = Run.of("replay", TestFiles.data("devsim/zeek-json/irc.log").toString());
    List<String> a = Notices.parse(tsv.out()).stream().map(n -> n.get("id").asText()).sorted().toList();
    List<String> b = Notices.parse(json.out()).stream().map(n -> n.get("id").asText()).sorted().toList();
    assertEquals(15, Notices.of(Notices.parse(tsv.out()), "IRC::ControlSession").size());
    assertEquals(a, b);
  }

  @Test
  void suricataOnly_ircTakenForFtp_usesServerRepliesOnly() {
    Run r = Run.of("replay", TestFiles.data("suricata/arkime_irc/eve.json").toString());
    List<JsonNode> n = Notices.parse(r.out());
    assertEquals(1, n.size(), r.out());
    JsonNode ev = n.get(0).get("evidence");
    assertEquals("10.180.156.249", n.get(0).get("src").asText());
    assertEquals(8000, n.get(0).get("p").asInt());
    assertEquals(List.of("molochtest"), Notices.strings(ev.get("nicks")));
    assertEquals(List.of("#moloch-fpc"), Notices.strings(ev.get("channels")));
    assertEquals("card.freenode.net", ev.get("server_name").asText());
    assertFalse(ev.has("user"), "the client's USER line is mangled in ftp events and not used");
  }

  @Test
  void zeekAndSuricataOfOneSession_giveOneNotice() {
    // Zeek JSON rows written for bottrace from the same pcap (arkime's irc.pcap) as the EVE file
    Run r = Run.of("replay", TestFiles.data("suricata/arkime_irc/eve.json").toString(),
        TestFiles.resource("fixtures/arkime-irc-zeek-json/irc.log").toString());
    List<JsonNode> n = Notices.parse(r.out());
    assertEquals(1, n.size(), r.out());
    JsonNode ev = n.get(0).get("evidence");
    assertEquals("CNnxgU1h3KcgIwHnv5", n.get(0).get("uid").asText());
    assertTrue(Notices.strings(n.get(0).get("uids")).contains("474712935373732"), "the Suricata flow id too");
    assertEquals(List.of("molochtest"), Notices.strings(ev.get("nicks")));
    assertEquals(List.of("#moloch-fpc"), Notices.strings(ev.get("channels")));
    assertEquals(List.of("suricata ftp events (IRC taken for FTP)", "zeek irc.log"), Notices.strings(ev.get("sources")));
  }

  @Test
  void dccOfferLaterInTheSession_isPartOfTheSessionUntilTheWatermarkPassesItsQuietTime() {
    // the DCC SEND comes 142 s after the JOIN: more than the 2 min quiet time, but the watermark (5 min
    // behind the input) had not passed the session's end yet, so the session is still open
    Run r = Run.of("replay", TestFiles.data("zeek/irc.log").toString(), TestFiles.data("zeek/conn.log").toString());
    List<JsonNode> n = Notices.parse(r.out());
    assertEquals(1, n.size(), r.out());
    assertEquals(List.of("#easymovies"), Notices.strings(n.get(0).get("evidence").get("channels")));
    JsonNode dcc = n.get(0).get("evidence").get("dcc").get(0);
    assertEquals("ladyvampress-default(2011-07-07)-OS.zip", dcc.get("file").asText());
    assertEquals(42208, dcc.get("size").asLong());
  }

  @Test
  void sessionQuietLongerThanTheQuietTime_isReportedAndALaterLineStartsAgain(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    java.nio.file.Path cfg = dir.resolve("c.yaml");
    java.nio.file.Files.writeString(cfg, "time: {lateness: 10s}\ndetectors:\n  IRC::Botnet: {control_sessions: {quiet: 1m}}\n");
    Run r = Run.of("replay", "--config", cfg.toString(), TestFiles.data("zeek/irc.log").toString());
    List<JsonNode> n = Notices.parse(r.out());
    assertEquals(2, n.size(), r.out());
    assertEquals(List.of("#easymovies"), Notices.strings(n.get(0).get("evidence").get("channels")));
    assertEquals("1311189316.326025", n.get(1).get("evidence").get("first_seen").asText());
    assertEquals(1, n.get(1).get("evidence").get("dcc").size(), "written again: the DCC offer is new evidence");
  }

  @Test
  void benignIrcInTheCorpus_raisesOnlyControlSessions() {
    for (String f : List.of("suricata/zeek_irc-basic/eve.json", "suricata/zeek_irc-whitespace/eve.json",
        "suricata/zeek_irc-more-commands/eve.json", "suricata/zeek_irc-starttls/eve.json",
        "suricata/arkime_irc-cap-req/eve.json", "suricata/zeek_irc-dcc-send/eve.json")) {
      Run r = Run.of("replay", TestFiles.data(f).toString());
      assertEquals(0, r.code(), f + ": " + r.err());
      for (JsonNode n : Notices.parse(r.out())) {
        assertEquals("IRC::ControlSession", n.get("note").asText(), f);
      }
    }
  }
}
