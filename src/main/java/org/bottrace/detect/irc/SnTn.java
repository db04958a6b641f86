package org.bottrace.detect.irc;

import java.util.Map;
import java.util.TreeMap;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;

/**
 * Document 000's hypothesis A, the size Sn and interval Tn of what a client sends its server: the sums a
 * session's client packets give, and the test that calls them bot-like (few, short, uniform and regular
 * all at once). One rule for IRC::Botnet's sessions and for IRC::FlowBotnet's TLS and flow-only sessions.
 */
public final class SnTn {
  private SnTn() {}

  /** Running sums of a session's client packets (concrete fields: they are written into checkpoints). */
  public static final class Sums {
    public long pkts;
    public double lenSum;
    public double lenSq;
    public TreeMap<Long, Integer> sizes = new TreeMap<>();
    public long gaps;
    public double gapSum;
    public double gapSq;
    public long first = Long.MIN_VALUE;
    public long last = Long.MIN_VALUE;

    public Sums() {}

    /** A copy, independent of this one. */
    public Sums copy() {
      Sums s = new Sums();
      s.pkts = pkts;
      s.lenSum = lenSum;
      s.lenSq = lenSq;
      s.sizes.putAll(sizes);
      s.gaps = gaps;
      s.gapSum = gapSum;
      s.gapSq = gapSq;
      s.first = first;
      s.last = last;
      return s;
    }

    /** Adds a packet of {@code len} bytes at {@code ts}, {@code gap} after the previous (Long.MIN_VALUE: none). */
    public void add(long ts, long len, long gap) {
      pkts++;
      lenSum += len;
      lenSq += (double) len * len;
      if (sizes.containsKey(len) || sizes.size() < 256) {
        sizes.merge(len, 1, Integer::sum);
      }
      if (gap != Long.MIN_VALUE) {
        gaps++;
        gapSum += gap;
        gapSq += (double) gap * gap;
      }
      first = first == Long.MIN_VALUE ? ts : Math.min(first, ts);
      last = Math.max(last, ts);
    }
  }

  /** The thresholds, from a configuration section (the same keys and defaults wherever it is used). */
  public static final class Rule {
    private final long minPackets;
    private final double maxRate;
    private final double maxMeanSize;
    private final double maxSizeCv;
    private final double minRepeatShare;
    private final double maxIntervalCv;

    /** {@code extraSize} is added to the default max_mean_size (a TLS record's overhead). */
    public Rule(ConfigNode c, double extraSize) throws ConfigException {
      minPackets = c.integer("min_packets", 5, 2, 1_000_000);
      maxRate = c.number("max_packets_per_minute", 3, 0, 1e6);
      maxMeanSize = c.number("max_mean_size", 200 + extraSize, 1, 65535);
      maxSizeCv = c.number("max_size_cv", 0.5, 0, 100);
      minRepeatShare = c.number("min_repeated_size_share", 0.3, 0, 1);
      maxIntervalCv = c.number("max_interval_cv", 0.9, 0, 100);
    }

    /** The figures of bot-like sums, or null when they are not bot-like (or too few to say). */
    public Map<String, Object> botLike(Sums s) {
      if (s.pkts < minPackets || s.gaps < 2) {
        return null;
      }
      double mean = s.lenSum / s.pkts;
      double cv = Math.sqrt(Math.max(0, s.lenSq / s.pkts - mean * mean)) / mean;
      int top = 0;
      for (int n : s.sizes.values()) {
        top = Math.max(top, n);
      }
      double repeat = (double) top / s.pkts;
      double gapMean = s.gapSum / s.gaps;
      double gapCv = gapMean <= 0 ? 0 : Math.sqrt(Math.max(0, s.gapSq / s.gaps - gapMean * gapMean)) / gapMean;
      double minutes = Math.max(1.0, (s.last - s.first) / 60e6);
      double rate = s.pkts / minutes;
      boolean few = rate <= maxRate;
      boolean isShort = mean <= maxMeanSize;
      boolean uniform = cv <= maxSizeCv || repeat >= minRepeatShare;
      boolean regular = gapCv <= maxIntervalCv;
      if (!(few && isShort && uniform && regular)) {
        return null;
      }
      return Signs.figures("packets", s.pkts, "packets_per_minute", Signs.r3(rate), "mean_size", Signs.r3(mean),
          "size_cv", Signs.r3(cv), "repeated_size_share", Signs.r3(repeat), "mean_interval_s",
          Signs.r3(gapMean / 1e6), "interval_cv", Signs.r3(gapCv));
    }
  }
}
