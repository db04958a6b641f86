package org.bottrace.detect.irc;

import java.util.Map;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;

/**
 * Mechanism 2, document 000's hypothesis A: the size Sn and interval Tn of the packets a client sends its
 * server (irc_pkt.log). Bot-like when they are few, short, uniform and regular all at once.
 */
final class SnTnProfile implements Mechanism {
  private final SnTn.Rule rule;
  private final double points;

  SnTnProfile(ConfigNode c) throws ConfigException {
    rule = new SnTn.Rule(c, 0);
    points = c.number("points", 2, 0, 100);
  }

  @Override
  public String name() {
    return "sn_tn";
  }

  @Override
  public void evaluate(View v, Signs out) {
    for (Map.Entry<String, IrcServer.Client> e : v.server.clients.entrySet()) {
      IrcServer.Client c = e.getValue();
      if (!c.pktLog) {
        continue;
      }
      Map<String, Object> figures = rule.botLike(c.sums());
      if (figures != null) {
        out.client(e.getKey(), name(), points, figures);
      }
    }
  }
}
