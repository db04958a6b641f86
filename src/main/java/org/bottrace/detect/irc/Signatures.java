package org.bottrace.detect.irc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;

/**
 * Document 000's signature method: Suricata alerts on a client's IRC session as evidence. Policy: an
 * alert whose category names a trojan or whose signature names a C&C, botnet or trojan is strong
 * ({@code strong_points}); other alerts of severity 1 or 2 are weak ({@code weak_points}); severity 3 and
 * the chat policy rules (ET CHAT fires on every IRC user) count nothing and are left out of the evidence.
 */
final class Signatures implements Mechanism {
  private static final Pattern STRONG = Pattern.compile("(?i)\\b(cnc|c&c|c2|botnet|trojan)\\b");
  private final double strongPoints;
  private final double weakPoints;

  Signatures(ConfigNode c) throws ConfigException {
    strongPoints = c.number("strong_points", 3, 0, 100);
    weakPoints = c.number("weak_points", 1, 0, 100);
  }

  @Override
  public String name() {
    return "signatures";
  }

  @Override
  public void evaluate(View v, Signs out) {
    for (Map.Entry<String, IrcServer.Client> e : v.server.clients.entrySet()) {
      IrcServer.Client c = e.getValue();
      if (c.alerts.isEmpty()) {
        continue;
      }
      double points = 0;
      List<String> listed = new ArrayList<>();
      for (Map.Entry<String, Integer> a : c.alerts.entrySet()) {
        String[] f = a.getKey().split("\\|", 4); // sid|severity|category|signature
        long severity = Long.parseLong(f[1]);
        boolean chat = f[3].startsWith("ET CHAT") || f[3].startsWith("GPL CHAT");
        double p = 0;
        if (STRONG.matcher(f[2]).find() || STRONG.matcher(f[3]).find()) {
          p = strongPoints;
        } else if (!chat && severity >= 1 && severity <= 2) {
          p = weakPoints;
        }
        if (p > 0) {
          points = Math.max(points, p);
          listed.add(f[0] + " " + f[3] + " (" + a.getValue() + ")");
        }
      }
      if (!listed.isEmpty()) {
        out.client(e.getKey(), name(), points, Signs.figures("alerts", listed));
      }
    }
  }
}
