package org.bottrace.detect.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bottrace_devsim's ground truth (labels.json) against the verdicts, in every form a sensor may give:
 * Zeek TSV or JSON, with or without bottrace's Zeek package (its logs written by real Zeek 8.0.10 over the
 * capture), with or without Suricata's EVE.
 */
class DevsimBotnetTest {
  static Set<String> hosts(String role) throws Exception {
    return TestFiles.labelled("devsim/labels.json", role);
  }

  static Set<String> field(List<JsonNode> notices, String note, String field) {
    Set<String> out = new TreeSet<>();
    for (JsonNode n : Notices.of(notices, note)) {
      out.add(field.equals("server") ? n.get("dst").asText() + "|" + n.get("p").asInt()
          : field.equals("channel") ? n.get("dst").asText() + "|" + n.get("p").asInt() + "|" + n.get("sub").asText()
          : n.get(field).asText());
    }
    return out;
  }

  @ParameterizedTest(name = "{0}, irc script logs {1}, eve {2}")
  @CsvSource({"zeek, true, true", "zeek, false, true", "zeek-json, true, true", "zeek-json, false, true",
      "zeek, true, false", "zeek-json, true, false"})
  void exactlyTheBotsTheServerTheChannelAndTheHerder(String zeek, boolean script, boolean eve) throws Exception {
    // with the package, every Zeek log is the one real Zeek wrote with it loaded
    String dir = script ? zeek.replace("zeek", "zeek-package") : zeek;
    List<String> args = new ArrayList<>(List.of("replay", TestFiles.data("devsim/" + dir).toString()));
    if (eve) {
      args.add(TestFiles.data("devsim/suricata/eve.json").toString());
    }
    Run r = Run.of(args.toArray(new String[0]));
    assertEquals(0, r.code(), r.err());
    List<JsonNode> notices = Notices.parse(r.out());

    assertEquals(hosts("bot"), field(notices, "IRC::BotClient", "src"));
    assertEquals(Set.of("85.17.184.21|6667"), field(notices, "IRC::CCServer", "server"));
    assertEquals(Set.of("85.17.184.21|6667|#dev-ops"), field(notices, "IRC::BotnetChannel", "channel"));
    assertEquals(hosts("herder"), field(notices, "IRC::Herder", "src"));
    for (JsonNode n : Notices.of(notices, "IRC::BotClient")) {
      assertTrue(n.get("evidence").get("mechanisms").size() >= 2, n.toString());
    }
    JsonNode last = lastOf(notices, "IRC::CCServer");
    assertEquals(hosts("bot"), new TreeSet<>(Notices.strings(last.get("evidence").get("bots"))));
    assertEquals("hX9-k2v", Notices.pair(last.get("evidence").get("channel_keys"), "channel", "#dev-ops", "key").asText());
    assertEquals(List.of("5.255.97.13"), Notices.strings(last.get("evidence").get("herders")));
    JsonNode from = last.get("evidence").get("score_from");
    double parts = 0;
    for (JsonNode p : from) {
      parts += p.get("points").asDouble();
    }
    assertEquals(parts, last.get("evidence").get("score").asDouble(), 1e-9, "the server score is its parts' sum");
    assertTrue(!Notices.pair(from, "from", "channel #dev-ops", "points").isMissingNode(), from.toString());
    if (script) {
      assertEquals("false", last.get("evidence").get("bots_used_pass").asText(), "ngircd ran without a password");
      // with irc_pkt.log and irc_cmd.log every bot shows the Sn/Tn profile and fast answers
      for (String bot : hosts("bot")) {
        JsonNode b = lastFor(notices, "IRC::BotClient", bot);
        List<String> m = Notices.strings(b.get("evidence").get("mechanisms"));
        assertTrue(m.contains("sn_tn") && m.contains("response_time"), bot + " " + m);
      }
    } else {
      assertTrue(Notices.strings(last.get("evidence").get("unavailable")).contains("irc_pkt.log: no Sn/Tn profile"));
    }
  }

  /**
   * Zeek's own logs only (no irc_cmd.log, no EVE): the bots, the channel and the server are still found
   * from joins, keys, nicks and USER lines, but nothing gives the timing of channel lines, so the herder,
   * whose mark is that many members answer his lines within a second, cannot be named. The notices say so.
   */
  @ParameterizedTest
  @CsvSource({"zeek", "zeek-json"})
  void zeekLogsAloneCannotNameTheHerder(String zeek) throws Exception {
    Run r = Run.of("replay", TestFiles.data("devsim/" + zeek).toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> notices = Notices.parse(r.out());
    assertEquals(hosts("bot"), field(notices, "IRC::BotClient", "src"));
    assertEquals(Set.of("85.17.184.21|6667"), field(notices, "IRC::CCServer", "server"));
    assertEquals(Set.of("85.17.184.21|6667|#dev-ops"), field(notices, "IRC::BotnetChannel", "channel"));
    assertEquals(Set.of(), field(notices, "IRC::Herder", "src"));
    JsonNode cc = lastOf(notices, "IRC::CCServer");
    assertTrue(Notices.strings(cc.get("evidence").get("unavailable")).contains(
        "no line timing (irc_cmd.log or Suricata PRIVMSG alerts): no answers in step, no herder"), cc.toString());
  }

  /**
   * EVE alone, from Suricata with bottrace's rules over the capture (data/devsim/suricata-bottrace, HOME_NET
   * everyone: a sensor beside the server): the three bots that obeyed an order (the two downloaders
   * answered `!get http://.../u.exe`, the scanner `!scan 445`) are found from their nick and USER alerts
   * and the order they answered; the other five answered only `!status` and `!info`, which are not C&C
   * words (channel bots answer them too), so EVE has neither their commands nor their answers' timing.
   * No person is flagged, the server is named; without joins in EVE, no channel.
   */
  @org.junit.jupiter.api.Test
  void eveAloneWithBottracesRules_theBotsThatObeyedAnOrder() throws Exception {
    Run r = Run.of("replay", TestFiles.data("devsim/suricata-bottrace/eve.json").toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> notices = Notices.parse(r.out());
    assertEquals(Set.of("113.87.141.58", "182.148.20.66", "79.246.161.195"), field(notices, "IRC::BotClient", "src"));
    assertTrue(hosts("bot").containsAll(field(notices, "IRC::BotClient", "src")));
    assertEquals(Set.of("85.17.184.21|6667"), field(notices, "IRC::CCServer", "server"));
    assertEquals(Set.of(), field(notices, "IRC::BotnetChannel", "channel"));
    for (JsonNode n : Notices.of(notices, "IRC::BotClient")) {
      assertEquals(List.of("names", "commands"), Notices.strings(n.get("evidence").get("mechanisms")), n.toString());
    }
  }

  static JsonNode lastOf(List<JsonNode> notices, String note) {
    List<JsonNode> l = Notices.of(notices, note);
    return l.get(l.size() - 1);
  }

  static JsonNode lastFor(List<JsonNode> notices, String note, String src) {
    JsonNode out = null;
    for (JsonNode n : Notices.of(notices, note)) {
      if (n.get("src").asText().equals(src)) {
        out = n;
      }
    }
    return out;
  }
}
