package org.bottrace.detect.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Map;
import org.bottrace.config.ConfigNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The commands mechanism as a function of a server's view, at the edges of its thresholds. */
class ControlCommandsTest {
  static final long T0 = 1_800_000_000_000_000L;

  static IrcServer server(IrcServer.Client c) {
    IrcServer s = new IrcServer("198.51.100.7", 4444, T0);
    s.clients.put("session", c);
    return s;
  }

  static IrcServer.Client member() {
    IrcServer.Client c = new IrcServer.Client("10.0.0.23", 40000, T0);
    c.joins.put("#rx", T0);
    return c;
  }

  static List<Signs.Sign> signs(IrcServer s) throws Exception {
    ControlCommands m = new ControlCommands(ConfigNode.empty("t.yaml", "IRC::Botnet.commands"));
    Signs out = new Signs();
    m.evaluate(new View(s, 2_000_000, 2_000_000, 600_000_000L), out);
    return out.clients.getOrDefault("session", List.of());
  }

  @Test
  void heardOnly_onePointOrTwoForAnOrder() throws Exception {
    IrcServer.Client c = member();
    c.heard.add(new IrcServer.Heard(T0 + 1_000_000, "#rx", "boss!b@h", ".sysinfo", false, false));
    assertEquals(1.0, signs(server(c)).get(0).points());
    c.heard.add(new IrcServer.Heard(T0 + 5_000_000, "#rx", null, ".download", true, true));
    assertEquals(2.0, signs(server(c)).get(0).points());
  }

  @Test
  void heardInAChannelItIsNotIn_nothing() throws Exception {
    IrcServer.Client c = member();
    c.heard.add(new IrcServer.Heard(T0 + 1_000_000, "#other", "boss!b@h", ".download", true, false));
    assertEquals(List.of(), signs(server(c)));
  }

  @ParameterizedTest(name = "answer after {0} us: {1} points")
  @CsvSource({"2000000, 4.0", "2000001, 2.0"})
  void answered_withinAnswerWithinInclusive(long delay, double points) throws Exception {
    IrcServer.Client c = member();
    c.heard.add(new IrcServer.Heard(T0 + 1_000_000, "#rx", "boss!b@h", ".download", true, false));
    c.lines.add(new IrcServer.Line(T0 + 1_000_000 + delay, "#rx", null));
    assertEquals(points, signs(server(c)).get(0).points());
  }

  @Test
  void answerInAnotherChannel_isNoAnswer() throws Exception {
    IrcServer.Client c = member();
    c.joins.put("#chat", T0);
    c.heard.add(new IrcServer.Heard(T0 + 1_000_000, "#rx", "boss!b@h", ".download", true, false));
    c.lines.add(new IrcServer.Line(T0 + 1_500_000, "#chat", null));
    assertEquals(2.0, signs(server(c)).get(0).points());
  }

  @Test
  void reportsAlone_threePoints_andOneLineFromTwoSensorsIsOneCommand() throws Exception {
    IrcServer.Client c = member();
    c.reports.add(new IrcServer.Report(T0 + 3_000_000, "#rx", "[SCAN]"));
    List<Signs.Sign> s = signs(server(c));
    assertEquals(3.0, s.get(0).points());
    assertNull(s.get(0).figures().get("commands_heard"));
    // the same order from an alert (no channel) and from irc_cmd.log (channel), 100 ms apart: one command
    c.heard.add(new IrcServer.Heard(T0 + 1_000_000, null, null, "rule (1930012)", true, false));
    c.heard.add(new IrcServer.Heard(T0 + 1_100_000, "#rx", "boss!b@h", ".download", true, false));
    Map<String, Object> f = signs(server(c)).get(0).figures();
    assertEquals(1, f.get("commands_heard"));
    assertEquals(1, f.get("commands_answered")); // the report 1.9 s after it answers it
    assertEquals(List.of("boss!b@h"), f.get("commands_from"));
  }
}
