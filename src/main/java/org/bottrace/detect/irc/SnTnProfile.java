package org.bottrace.detect.irc;

import java.util.Map;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;

/**
 * Mechanism 2, document 000's hypothesis A: the size Sn and interval Tn of the packets a client sends its
 * server (irc_pkt.log). Bot-like when they are few, short, uniform and regular all at once.
 */
final class SnTnProfile implements Mechanism {
  private final long minPackets;
  private final double maxRate;
  private final double maxMeanSize;
  private final double maxSizeCv;
  private final double minRepeatShare;
  private final double maxIntervalCv;
  private final double points;

  SnTnProfile(ConfigNode c) throws ConfigException {
    minPackets = c.integer("min_packets", 5, 2, 1_000_000);
    maxRate = c.number("max_packets_per_minute", 3, 0, 1e6);
    maxMeanSize = c.number("max_mean_size", 200, 1, 65535);
    maxSizeCv = c.number("max_size_cv", 0.5, 0, 100);
    minRepeatShare = c.number("min_repeated_size_share", 0.3, 0, 1);
    maxIntervalCv = c.number("max_interval_cv", 0.9, 0, 100);
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
      if (!c.pktLog || c.pkts < minPackets || c.gaps < 2) {
        continue;
      }
      double mean = c.lenSum / c.pkts;
      double cv = Math.sqrt(Math.max(0, c.lenSq / c.pkts - mean * mean)) / mean;
      int top = 0;
      for (int n : c.sizes.values()) {
        top = Math.max(top, n);
      }
      double repeat = (double) top / c.pkts;
      double gapMean = c.gapSum / c.gaps;
      double gapCv = gapMean <= 0 ? 0 : Math.sqrt(Math.max(0, c.gapSq / c.gaps - gapMean * gapMean)) / gapMean;
      double minutes = Math.max(1.0, (c.pktLast - c.pktFirst) / 60e6);
      double rate = c.pkts / minutes;
      boolean few = rate <= maxRate;
      boolean isShort = mean <= maxMeanSize;
      boolean uniform = cv <= maxSizeCv || repeat >= minRepeatShare;
      boolean regular = gapCv <= maxIntervalCv;
      if (few && isShort && uniform && regular) {
        out.client(e.getKey(), name(), points, Signs.figures("packets", c.pkts,
            "packets_per_minute", Signs.r3(rate), "mean_size", Signs.r3(mean), "size_cv", Signs.r3(cv),
            "repeated_size_share", Signs.r3(repeat), "mean_interval_s", Signs.r3(gapMean / 1e6),
            "interval_cv", Signs.r3(gapCv)));
      }
    }
  }
}
