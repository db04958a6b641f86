package org.bottrace.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.bottrace.ZeekLog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The flow-level corpus (data/flows: real ngircd with TLS, dnsmasq and HTTP servers on loopback, captured
 * with tcpdump, read by real Zeek 8.0.10 and Suricata 7.0.10 at the company's edge;
 * src/test/scripts/flow-corpus.py and vantage-logs.sh): four company bots on one C&amp;C, two of them over
 * TLS, five company people on a public server (two of them over TLS) whose sessions look like the bots'
 * between orders, a patch day on which every host downloads the same update, and an administrator's scan
 * of the addresses the bots scan. From flow records alone, and with every log: the bots and no one else.
 */
class FlowBotnetTest {
  static JsonNode labels;
  static final Set<String> BOTS = new TreeSet<>();
  static final Set<String> BENIGN = new TreeSet<>();

  @BeforeAll
  static void readLabels() throws Exception {
    labels = new ObjectMapper().readTree(TestFiles.data("flows/labels.json").toFile());
    for (JsonNode h : labels.get("hosts")) {
      String ip = h.get("ip").asText();
      if (ip.startsWith("127.1.")) {
        (h.get("role").asText().equals("bot") ? BOTS : BENIGN).add(ip);
      }
    }
    // the company hosts with no IRC session: the patch day's other downloaders and the auditor
    for (int i : new int[] {30, 31, 32, 33, 34}) {
      BENIGN.add("127.1.0." + i);
    }
  }

  static Run replay(String... inputs) {
    List<String> args = new ArrayList<>(List.of("replay", "-q", "--config",
        TestFiles.resource("fixtures/flows.yaml").toString()));
    for (String i : inputs) {
      args.add(i.startsWith("/") ? i : TestFiles.data("flows/company/" + i).toString());
    }
    return Run.of(args.toArray(new String[0]));
  }

  static Set<String> srcs(List<JsonNode> notices) {
    Set<String> out = new TreeSet<>();
    notices.forEach(n -> out.add(n.get("src").asText()));
    return out;
  }

  /** Every notice's hosts: none is a labelled person, an update downloader or the auditor. */
  static void noBenignHost(List<JsonNode> notices) {
    for (JsonNode n : notices) {
      if (n.get("note").asText().equals("IRC::ControlSession")) {
        continue; // informational: a session's control commands, people's too
      }
      for (String field : new String[] {"src", "dst"}) {
        if (n.has(field)) {
          assertFalse(BENIGN.contains(n.get(field).asText()), "a benign host in " + n);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"zeek/conn.log", "zeek-package-json/conn.log", "suricata/eve.json"})
  void flowRecordsAlone_theBotsThatActedInStepAndNoOneElse(String input) throws Exception {
    Run r = replay(input);
    assertEquals(0, r.code(), r.err());
    List<JsonNode> notices = Notices.parse(r.out());
    List<JsonNode> flow = Notices.of(notices, "IRC::FlowBotnet");
    assertEquals(4, BOTS.size());
    // precision and recall 1: every bot, no one else
    assertEquals(BOTS, srcs(flow), r.out());
    noBenignHost(notices);
    for (JsonNode n : flow) {
      JsonNode ev = n.get("evidence");
      assertEquals("127.0.0.30", n.get("dst").asText(), n.toString());
      assertEquals("in_step", ev.get("route").asText());
      List<String> peers = Notices.strings(ev.get("peers_in_step"));
      assertFalse(peers.isEmpty(), n.toString());
      assertTrue(BOTS.containsAll(peers), n.toString());
      assertTrue(ev.get("session").get("duration_s").asLong() >= 600, n.toString());
      assertEquals(n.get("p").asInt() == 6697, ev.get("encrypted").asBoolean(), n.toString());
      Set<String> kinds = new TreeSet<>();
      ev.get("activities").forEach(a -> kinds.add(a.get("kind").asText() + " " + a.get("target").asText()));
      assertTrue(kinds.contains("flood udp 127.0.0.99") || kinds.contains("scan 445/tcp"), n.toString());
    }
    // the last notice of each bot has both activities the herder ordered
    for (String bot : BOTS) {
      JsonNode last = null;
      for (JsonNode n : flow) {
        if (n.get("src").asText().equals(bot)) {
          last = n;
        }
      }
      Set<String> kinds = new TreeSet<>();
      last.get("evidence").get("activities").forEach(a -> kinds.add(a.get("kind").asText() + " " + a.get("target").asText()));
      assertEquals(Set.of("flood udp 127.0.0.99", "scan 445/tcp"), kinds, last.toString());
    }
  }

  /**
   * With every log of the package: the TLS bots' sessions carry what the handshake showed (the C&amp;C's
   * name, a self-signed certificate, TLS 1.2) and their client packets' Sn/Tn, marked encrypted; the
   * patch day's download is listed as the site's infrastructure, not counted; the two bots in clear are
   * also found by their IRC content.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"zeek-package", "zeek-package-json"})
  void everyLog_tlsEvidenceAndContentAgree(String input) throws Exception {
    Run r = replay(input);
    assertEquals(0, r.code(), r.err());
    List<JsonNode> notices = Notices.parse(r.out());
    noBenignHost(notices);
    List<JsonNode> flow = Notices.of(notices, "IRC::FlowBotnet");
    assertEquals(BOTS, srcs(flow), r.out());
    int tlsSeen = 0;
    for (JsonNode n : flow) {
      JsonNode ev = n.get("evidence");
      if (n.get("p").asInt() != 6697) {
        assertFalse(ev.get("encrypted").asBoolean(), n.toString());
        continue;
      }
      tlsSeen++;
      assertTrue(ev.get("encrypted").asBoolean(), n.toString());
      assertEquals("irc.darkops.example", ev.get("tls").get("server_name").asText(), n.toString());
      assertTrue(ev.get("tls").get("self_signed").asBoolean(), n.toString());
      assertEquals("TLSv12", ev.get("tls").get("version").asText(), n.toString());
      JsonNode snTn = ev.get("sn_tn");
      assertTrue(snTn != null && snTn.get("packets").asInt() >= 5, n.toString());
      assertTrue(snTn.get("packets_per_minute").asDouble() <= 3, n.toString());
    }
    assertTrue(tlsSeen >= 2, r.out());
    Set<String> content = srcs(Notices.of(notices, "IRC::BotClient"));
    assertEquals(Set.of("127.1.0.11", "127.1.0.12"), content, r.out());
    // every bot's infection story has its C&C contact from the flows
    Set<String> infected = srcs(Notices.of(notices, "Bot::Infection"));
    assertTrue(infected.containsAll(BOTS), r.out());
  }

  /**
   * A live sensor before the capture's end: conn.log holds only the connections that had ended (the
   * floods and scans), irc_open.log the bots' sessions still open. The bots are named with their
   * sessions still open.
   */
  @Test
  void sessionsStillOpen_theBotsAreNamedBeforeTheyDisconnect(@TempDir Path dir) throws Exception {
    Path src = TestFiles.data("flows/company/zeek-package");
    double end = labels.get("first_packet_epoch").asDouble() + 870; // before the sessions end
    int conn = ZeekLog.writtenBy(src.resolve("conn.log"), dir.resolve("conn.log"), end);
    int open = ZeekLog.writtenBy(src.resolve("irc_open.log"), dir.resolve("irc_open.log"), end);
    assertTrue(conn > 100 && open > 10, conn + " conn rows, " + open + " irc_open rows");
    Run r = replay(dir.toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> flow = Notices.of(Notices.parse(r.out()), "IRC::FlowBotnet");
    assertEquals(BOTS, srcs(flow), r.out());
    for (JsonNode n : flow) {
      JsonNode s = n.get("evidence").get("session");
      assertTrue(s.get("open").asBoolean(), n.toString());
      assertEquals("zeek open", s.get("source").asText(), n.toString());
    }
  }

}
