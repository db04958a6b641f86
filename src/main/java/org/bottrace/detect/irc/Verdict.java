package org.bottrace.detect.irc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What is true of one server, from its mechanisms' signs and the thresholds, and nothing else: a pure
 * function ({@link #of}), tested at each threshold's edge. A herder needs the commands-answered sign and
 * {@code herder_score}; a botnet channel {@code channel_score} points from {@code min_mechanisms}
 * mechanisms; a bot {@code bot_score} points from {@code min_mechanisms} mechanisms, per host its best
 * session, never a host named herder; the server is a C&amp;C server when it has a botnet channel or a bot,
 * and its score is its strongest channel's points plus its strongest bot's.
 *
 * @param herders herder sessions with their signs
 * @param herderHosts their hosts
 * @param channels botnet channels with their signs
 * @param bots bot host to its best session
 * @param serverScore the server's score (0 when it is no C&amp;C server)
 * @param scoreFrom the parts of that score ("channel #x": points, "bot 10.0.0.1": points)
 */
record Verdict(Map<String, List<Signs.Sign>> herders, Set<String> herderHosts, Map<String, List<Signs.Sign>> channels,
    Map<String, String> bots, double serverScore, Map<String, Object> scoreFrom) {
  /** The thresholds of IRC::Botnet's section. */
  record Thresholds(double botScore, double channelScore, double herderScore, long minMechanisms) {}

  /** Whether the server is a C&amp;C server. */
  boolean ccServer() {
    return !channels.isEmpty() || !bots.isEmpty();
  }

  static Verdict of(View v, Signs signs, Thresholds t) {
    // herders first: a herder is not one of its bots
    Map<String, List<Signs.Sign>> herders = new LinkedHashMap<>();
    for (Map.Entry<String, List<Signs.Sign>> h : signs.herders.entrySet()) {
      boolean commands = h.getValue().stream().anyMatch(x -> x.mechanism().equals(Herder.COMMANDS));
      if (commands && Signs.total(h.getValue()) >= t.herderScore()) {
        herders.put(h.getKey(), h.getValue());
      }
    }
    Set<String> herderHosts = new TreeSet<>();
    for (String h : herders.keySet()) {
      herderHosts.add(v.client(h).host);
    }
    Map<String, List<Signs.Sign>> channels = new TreeMap<>();
    for (Map.Entry<String, List<Signs.Sign>> ch : signs.channels.entrySet()) {
      if (Signs.total(ch.getValue()) >= t.channelScore() && Signs.mechanisms(ch.getValue()).size() >= t.minMechanisms()) {
        channels.put(ch.getKey(), ch.getValue());
      }
    }
    // bots: per host, its best session
    Map<String, String> bestSession = new TreeMap<>();
    for (Map.Entry<String, List<Signs.Sign>> cl : signs.clients.entrySet()) {
      IrcServer.Client c = v.client(cl.getKey());
      List<Signs.Sign> l = cl.getValue();
      if (herderHosts.contains(c.host) || Signs.total(l) < t.botScore() || Signs.mechanisms(l).size() < t.minMechanisms()) {
        continue;
      }
      String had = bestSession.get(c.host);
      double hadTotal = had == null ? 0 : Signs.total(signs.clients.get(had));
      // ties go to the session key that sorts first, not to whichever session was read first
      if (had == null || hadTotal < Signs.total(l) || hadTotal == Signs.total(l) && cl.getKey().compareTo(had) < 0) {
        bestSession.put(c.host, cl.getKey());
      }
    }
    // the server's score: its strongest botnet channel and its strongest bot, each with its points
    Map<String, Object> parts = new LinkedHashMap<>();
    double score = 0;
    String bestCh = null;
    for (Map.Entry<String, List<Signs.Sign>> ch : channels.entrySet()) {
      if (bestCh == null || Signs.total(ch.getValue()) > Signs.total(channels.get(bestCh))) {
        bestCh = ch.getKey();
      }
    }
    if (bestCh != null) {
      parts.put("channel " + bestCh, Signs.total(channels.get(bestCh)));
      score += Signs.total(channels.get(bestCh));
    }
    String bestBot = null;
    for (Map.Entry<String, String> b : bestSession.entrySet()) {
      if (bestBot == null || Signs.total(signs.clients.get(b.getValue()))
          > Signs.total(signs.clients.get(bestSession.get(bestBot)))) {
        bestBot = b.getKey();
      }
    }
    if (bestBot != null) {
      parts.put("bot " + bestBot, Signs.total(signs.clients.get(bestSession.get(bestBot))));
      score += Signs.total(signs.clients.get(bestSession.get(bestBot)));
    }
    return new Verdict(herders, herderHosts, channels, bestSession, Math.round(score * 10) / 10.0, parts);
  }
}
