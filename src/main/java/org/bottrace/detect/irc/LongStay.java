package org.bottrace.detect.irc;

import java.time.Duration;
import java.util.Map;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;

/**
 * Mechanism 5, document 000's sign II: clients that stay connected for hours, from the connection's
 * duration (conn.log, EVE flow) or the span of its lines. Weak: people idle for days too.
 */
final class LongStay implements Mechanism {
  private final long minStay;
  private final double points;

  LongStay(ConfigNode c) throws ConfigException {
    minStay = IrcBotnet.positiveMicros(c, "min_stay", Duration.ofHours(2));
    points = c.number("points", 1, 0, 100);
  }

  @Override
  public String name() {
    return "long_stay";
  }

  @Override
  public void evaluate(View v, Signs out) {
    for (Map.Entry<String, IrcServer.Client> e : v.server.clients.entrySet()) {
      IrcServer.Client c = e.getValue();
      long stay = Math.max(c.duration, c.last - c.first);
      if (stay >= minStay) {
        out.client(e.getKey(), name(), points, Signs.figures("stay_s", Math.round(stay / 1e6),
            "min_stay_s", Math.round(minStay / 1e6)));
      }
    }
  }
}
