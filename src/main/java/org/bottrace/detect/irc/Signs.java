package org.bottrace.detect.irc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The signs the mechanisms found, per client session, channel and herder candidate. */
final class Signs {
  /** One sign: the mechanism that found it, its points and its figures. */
  record Sign(String mechanism, double points, Map<String, Object> figures) {}

  final Map<String, List<Sign>> clients = new LinkedHashMap<>();
  final Map<String, List<Sign>> channels = new TreeMap<>();
  final Map<String, List<Sign>> herders = new LinkedHashMap<>();

  void client(String session, String mechanism, double points, Map<String, Object> figures) {
    clients.computeIfAbsent(session, k -> new ArrayList<>()).add(new Sign(mechanism, points, figures));
  }

  void channel(String channel, String mechanism, double points, Map<String, Object> figures) {
    channels.computeIfAbsent(channel, k -> new ArrayList<>()).add(new Sign(mechanism, points, figures));
  }

  void herder(String session, String mechanism, double points, Map<String, Object> figures) {
    herders.computeIfAbsent(session, k -> new ArrayList<>()).add(new Sign(mechanism, points, figures));
  }

  /** Total points of a list of signs. */
  static double total(List<Sign> signs) {
    double t = 0;
    for (Sign s : signs) {
      t += s.points();
    }
    return Math.round(t * 10) / 10.0;
  }

  /** The distinct mechanisms that gave points. */
  static List<String> mechanisms(List<Sign> signs) {
    List<String> out = new ArrayList<>();
    for (Sign s : signs) {
      if (s.points() > 0 && !out.contains(s.mechanism())) {
        out.add(s.mechanism());
      }
    }
    return out;
  }

  /** Evidence: each mechanism with its points and figures (several signs of one mechanism merged). */
  static Map<String, Object> evidence(List<Sign> signs) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Sign s : signs) {
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) out.computeIfAbsent(s.mechanism(), k -> {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("points", 0.0);
        return x;
      });
      m.put("points", Math.round(((Double) m.get("points") + s.points()) * 10) / 10.0);
      m.putAll(s.figures());
    }
    return out;
  }

  /** A figures map from alternating keys and values, in that order. */
  static Map<String, Object> figures(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      if (kv[i + 1] != null) {
        m.put((String) kv[i], kv[i + 1]);
      }
    }
    return m;
  }

  /** Rounds to three decimals for figures. */
  static double r3(double d) {
    return Math.round(d * 1000) / 1000.0;
  }
}
