package org.bottrace.detect.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Real benign IRC: Zeek's test baselines and the 2011 Undernet DCC session, the freenode and CTF sessions
 * of Zeek's manual, Suricata's EVE over Zeek's and Arkime's IRC pcaps, and inbound scans of the IRC ports
 * labelled as attacks. None of it is a bot or a C&amp;C server. Where Zeek's irc.log has real times the
 * sessions still show as IRC::ControlSession, so the detectors did see them.
 */
class BenignIrcTest {
  @ParameterizedTest
  @ValueSource(strings = {"data/zeek", "data/zeek/baselines/irc.basic", "data/zeek/baselines/irc.starttls",
      "data/zeek/docs-irc", "data/suricata/zeek_irc-dcc-send-2011-undernet", "data/suricata/zeek_irc-basic",
      "data/suricata/zeek_irc-dcc-send", "data/suricata/zeek_irc-more-commands", "data/suricata/zeek_irc-starttls",
      "data/suricata/zeek_irc-whitespace", "data/suricata/arkime_irc", "data/suricata/arkime_irc-cap-req",
      "fixtures/arkime-irc-zeek-json", "fixtures/labelled-irc-port-scans"})
  void noBotAndNoCommandAndControl(String folder) {
    Run r = Run.of("replay", TestFiles.resource(folder).toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> n = Notices.parse(r.out());
    for (String note : List.of("IRC::BotClient", "IRC::CCServer", "IRC::BotnetChannel", "IRC::Herder")) {
      assertEquals(List.of(), Notices.of(n, note), folder + ": " + note);
    }
    if (List.of("data/zeek", "data/zeek/docs-irc", "fixtures/arkime-irc-zeek-json").contains(folder)) {
      assertTrue(!Notices.of(n, "IRC::ControlSession").isEmpty(), folder + " has an IRC session: " + r.err());
    }
  }
}
