package org.bottrace.detect.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.bottrace.config.ConfigNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Channel growth from a cold start and from inside: a company sensor sees one bot, and the joins of the
 * others only as the server relays them to it.
 */
class ChannelGrowthTest {
  static final long T0 = 1_800_000_000_000_000L;
  static final long MIN = 60_000_000L;

  /** A lone member of #x watched from T0; {@code joins} others join {@code after} minutes in, 5 s apart. */
  static Signs grow(int joins, long afterMinutes) throws Exception {
    IrcServer s = new IrcServer("198.51.100.7", 6667, T0);
    IrcServer.Client c = new IrcServer.Client("10.0.0.23", 40000, T0);
    c.nicks.add("[USA|XP]-1");
    c.joins.put("#x", T0);
    java.util.TreeMap<String, Long> seen = new java.util.TreeMap<>();
    for (int i = 0; i < joins; i++) {
      seen.put("[BRA|XP]-" + i, T0 + afterMinutes * MIN + i * 5_000_000L);
    }
    c.seenJoins.put("#x", seen);
    s.clients.put("s", c);
    Signs out = new Signs();
    new ChannelGrowth(ConfigNode.empty("t.yaml", "IRC::Botnet.channel_growth"))
        .evaluate(new View(s, 2_000_000, 2_000_000, 10 * MIN), out);
    return out;
  }

  @ParameterizedTest(name = "{0} joins {1} min after watching began: rise {2}")
  @CsvSource({"5, 10, true", "4, 10, false", "5, 9, false", "8, 30, true"})
  void seenFromInside_afterTheWarmUp(int joins, long after, boolean rise) throws Exception {
    Signs s = grow(joins, after);
    assertEquals(rise, s.channels.containsKey("#x"), s.channels.toString());
    if (rise) {
      assertEquals(2.0, s.channels.get("#x").get(0).points());
      assertEquals(joins, s.channels.get("#x").get(0).figures().get("joins_seen_from_inside"));
    }
    // the lone member joined before the rise: it gets no member points for it
    assertNull(s.clients.get("s"));
  }
}
