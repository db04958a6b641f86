package org.bottrace.detect.irc;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.event.Micros;

/**
 * Mechanism 4, document 000's sign I: a channel whose membership rises sharply. The most joins in any
 * {@code window}, against the channel's own join rate before that window. A channel's history starts at
 * its founding where the logs show it, otherwise {@code warm_up} after the server was first seen (see
 * {@link View#historyFrom}): from a cold start, the first joins are not a rise.
 */
final class ChannelGrowth implements Mechanism {
  private final long window;
  private final long minJoins;
  private final double riseFactor;
  private final double channelPoints;
  private final double memberPoints;

  ChannelGrowth(ConfigNode c) throws ConfigException {
    window = IrcBotnet.positiveMicros(c, "window", Duration.ofMinutes(1));
    minJoins = c.integer("min_joins", 5, 2, 1_000_000);
    riseFactor = c.number("rise_factor", 3, 1, 1e6);
    channelPoints = c.number("channel_points", 2, 0, 100);
    memberPoints = c.number("member_points", 1, 0, 100);
  }

  @Override
  public String name() {
    return "channel_growth";
  }

  @Override
  public void evaluate(View v, Signs out) {
    for (Map.Entry<String, List<String>> m : v.members.entrySet()) {
      String ch = m.getKey();
      // every join the sensor knows of: its sessions' own, and those the server relayed to them (a lone
      // bot sees its channel grow)
      List<Long> joins = v.joinTimes(ch);
      if (joins.size() < minJoins) {
        continue;
      }
      long from = v.historyFrom(ch);
      boolean founded = v.founders.containsKey(ch);
      int best = 0;
      int bestStart = 0;
      for (int i = 0, j = 0; i < joins.size(); i++) {
        long t = joins.get(i);
        if (t < from) {
          continue; // joins before the channel has a history to rise from
        }
        j = Math.max(j, i);
        while (j < joins.size() && joins.get(j) - t <= window) {
          j++;
        }
        if (j - i > best) {
          best = j - i;
          bestStart = i;
        }
      }
      if (best == 0) {
        continue;
      }
      long start = joins.get(bestStart);
      double history = Math.max(0, start - (founded ? from : v.server.first)) / (double) window;
      double baseline = history < 1 ? 0 : bestStart / history;
      if (best < minJoins || best < riseFactor * baseline) {
        continue;
      }
      out.channel(ch, name(), channelPoints, Signs.figures("joins_in_window", best,
          "window_s", window / 1e6, "window_start", Micros.formatEpoch(start),
          "joins_per_window_before", Signs.r3(baseline), "rise_factor", riseFactor,
          "joins_seen_from_inside", joins.size() > m.getValue().size() ? joins.size() - m.getValue().size() : null));
      long end = start + window;
      for (String s : m.getValue()) {
        long t = join(v, s, ch);
        if (t >= start && t <= end) {
          out.client(s, name(), memberPoints, Signs.figures("joined_in_rise_of", ch));
        }
      }
    }
  }

  private static long join(View v, String session, String ch) {
    return v.client(session).joins.get(ch);
  }
}
