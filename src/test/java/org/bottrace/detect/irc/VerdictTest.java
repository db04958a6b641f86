package org.bottrace.detect.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The verdict as a pure function of the signs and the thresholds, at each threshold's edge. */
class VerdictTest {
  static final Verdict.Thresholds T = new Verdict.Thresholds(6, 5, 4, 2);

  static View view(String... sessionHosts) {
    IrcServer s = new IrcServer("198.51.100.7", 6667, 0);
    for (int i = 0; i + 1 < sessionHosts.length; i += 2) {
      s.clients.put(sessionHosts[i], new IrcServer.Client(sessionHosts[i + 1], 40000 + i, 0));
    }
    return new View(s, 2_000_000, 2_000_000, 600_000_000L);
  }

  @ParameterizedTest(name = "{0} + {1} points from {2} mechanism(s): bot {3}")
  @CsvSource({"3, 3, 2, true", "3, 2.9, 2, false", "6, 0, 1, false", "4, 3, 1, false", "7, 0.1, 2, true"})
  void bot_atBotScoreFromMinMechanisms(double a, double b, int mechanisms, boolean bot) {
    Signs s = new Signs();
    s.client("s1", "names", a, Map.of());
    s.client("s1", mechanisms == 2 ? "commands" : "names", b, Map.of());
    Verdict v = Verdict.of(view("s1", "10.0.0.1"), s, T);
    assertEquals(bot ? Set.of("10.0.0.1") : Set.of(), v.bots().keySet());
    assertEquals(bot, v.ccServer());
    assertEquals(bot ? a + b : 0, v.serverScore(), 1e-9);
  }

  @Test
  void bot_perHostItsBestSession_andTheServerScoreIsTheBestChannelPlusTheBestBot() {
    Signs s = new Signs();
    s.client("s1", "names", 3, Map.of());
    s.client("s1", "commands", 4, Map.of());
    s.client("s2", "names", 4, Map.of());
    s.client("s2", "commands", 4, Map.of());
    s.channel("#x", "single_channel", 3, Map.of());
    s.channel("#x", "commands", 3, Map.of());
    Verdict v = Verdict.of(view("s1", "10.0.0.1", "s2", "10.0.0.1"), s, T);
    assertEquals(Map.of("10.0.0.1", "s2"), v.bots());
    assertEquals(Set.of("#x"), v.channels().keySet());
    assertEquals(14.0, v.serverScore(), 1e-9);
    assertEquals(Map.of("channel #x", 6.0, "bot 10.0.0.1", 8.0), v.scoreFrom());
  }

  @ParameterizedTest(name = "channel {0} + {1} from {2} mechanism(s): {3}")
  @CsvSource({"3, 2, 2, true", "3, 1.9, 2, false", "5, 0, 1, false"})
  void channel_atChannelScoreFromMinMechanisms(double a, double b, int mechanisms, boolean botnet) {
    Signs s = new Signs();
    s.channel("#x", "single_channel", a, Map.of());
    s.channel("#x", mechanisms == 2 ? "cooperation" : "single_channel", b, Map.of());
    assertEquals(botnet, Verdict.of(view(), s, T).channels().containsKey("#x"));
    assertEquals(botnet, Verdict.of(view(), s, T).ccServer());
  }

  @Test
  void herder_needsItsCommandsAnsweredAtHerderScore_andIsNeverABot() {
    Signs s = new Signs();
    s.herder("h", "operator", 1, Map.of());
    s.herder("h", "founder", 3, Map.of());
    s.client("h", "names", 3, Map.of());
    s.client("h", "commands", 3, Map.of());
    Verdict v = Verdict.of(view("h", "10.0.0.9"), s, T);
    assertTrue(v.herders().isEmpty(), "operator and founder alone name no herder");
    assertEquals(Set.of("10.0.0.9"), v.bots().keySet());
    s.herder("h", Herder.COMMANDS, 3.9, Map.of());
    v = Verdict.of(view("h", "10.0.0.9"), s, T);
    assertEquals(Set.of("h"), v.herders().keySet(), "3.9 + 4 points with the commands sign");
    assertEquals(Set.of(), v.bots().keySet(), "a herder is not one of its bots");
    assertFalse(v.ccServer());
  }

  @Test
  void herder_belowHerderScore_none() {
    Signs s = new Signs();
    s.herder("h", Herder.COMMANDS, 3.9, Map.of());
    assertTrue(Verdict.of(view("h", "10.0.0.9"), s, T).herders().isEmpty());
  }
}
