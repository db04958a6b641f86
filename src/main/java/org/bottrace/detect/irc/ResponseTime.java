package org.bottrace.detect.irc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;

/**
 * Mechanism 3, document 000's sign III: answers faster than people type. For each channel line another
 * member sent that the server delivered to the client (irc_cmd.log), the delay to the client's next line
 * in that channel. Bot-like when it answers fast repeatedly and most of its answers are fast.
 */
final class ResponseTime implements Mechanism {
  private final long fast;
  private final long maxWait;
  private final long minFast;
  private final double minShare;
  private final double points;

  ResponseTime(ConfigNode c) throws ConfigException {
    fast = IrcBotnet.positiveMicros(c, "fast", java.time.Duration.ofSeconds(1));
    maxWait = IrcBotnet.positiveMicros(c, "max_wait", java.time.Duration.ofSeconds(30));
    minFast = c.integer("min_fast", 3, 1, 1_000_000);
    minShare = c.number("min_fast_share", 0.5, 0, 1);
    points = c.number("points", 2, 0, 100);
  }

  @Override
  public String name() {
    return "response_time";
  }

  @Override
  public void evaluate(View v, Signs out) {
    for (Map.Entry<String, IrcServer.Client> e : v.server.clients.entrySet()) {
      IrcServer.Client c = e.getValue();
      if (!c.cmdLog || c.delivered.isEmpty() || c.lines.isEmpty()) {
        continue;
      }
      List<Long> delays = new ArrayList<>();
      Map<String, Integer> answered = new java.util.TreeMap<>();
      for (String ch : c.joins.keySet()) {
        delays(c, ch, delays, answered);
      }
      long fastN = delays.stream().filter(d -> d <= fast).count();
      if (delays.isEmpty()) {
        continue;
      }
      double share = (double) fastN / delays.size();
      if (fastN >= minFast && share >= minShare) {
        Collections.sort(delays);
        out.client(e.getKey(), name(), points, Signs.figures("answers", delays.size(), "fast_answers", fastN,
            "fast_share", Signs.r3(share), "fast_limit_s", fast / 1e6,
            "median_delay_s", Signs.r3(delays.get(delays.size() / 2) / 1e6),
            "fastest_s", Signs.r3(delays.get(0) / 1e6), "answered_fast_most", most(answered)));
      }
    }
  }

  /** The delay from each delivered line to the client's first own line after it, in one channel. */
  /** Whose lines it answered fast most often (nick!user@host as the server gave it): often the herder. */
  private static String most(Map<String, Integer> answered) {
    String best = null;
    for (Map.Entry<String, Integer> e : answered.entrySet()) {
      if (best == null || e.getValue() > answered.get(best)) {
        best = e.getKey();
      }
    }
    return best;
  }

  private void delays(IrcServer.Client c, String ch, List<Long> out, Map<String, Integer> answered) {
    long pending = Long.MIN_VALUE;
    String from = null;
    int d = 0;
    List<IrcServer.Line> del = c.delivered;
    for (IrcServer.Line own : c.lines) {
      if (!ch.equals(own.channel())) {
        continue;
      }
      while (d < del.size() && del.get(d).ts() <= own.ts()) {
        if (ch.equals(del.get(d).channel())) {
          pending = del.get(d).ts();
          from = del.get(d).from();
        }
        d++;
      }
      if (pending != Long.MIN_VALUE && own.ts() - pending <= maxWait) {
        out.add(own.ts() - pending);
        if (own.ts() - pending <= fast && from != null) {
          answered.merge(from, 1, Integer::sum);
        }
      }
      pending = Long.MIN_VALUE;
    }
  }
}
