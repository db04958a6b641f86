package org.bottrace.detect.irc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One server's state arranged for the mechanisms: channel members in join order, the channels each
 * client host joined on the server, each channel's lines in time order, the answered bursts in them and
 * the channels' founders.
 */
final class View {
  /** A line that opened a burst (after a quiet spell) and the members that spoke right after it. */
  record Burst(String trigger, long ts, Map<String, Long> answerDelays) {}

  /** A channel line with the session that sent it. */
  record ChannelLine(long ts, String session) {}

  final IrcServer server;
  /** Channel to member sessions in join order. */
  final Map<String, List<String>> members = new TreeMap<>();
  /** Client host to the channels it joined on this server (all its sessions). */
  final Map<String, Set<String>> hostChannels = new HashMap<>();
  /** Channel to its lines, from irc_cmd.log where a session has it, else from Suricata's PRIVMSG alerts. */
  final Map<String, List<ChannelLine>> lines = new TreeMap<>();
  final Map<String, List<Burst>> bursts = new TreeMap<>();
  /** Channel to the session that created it, where the logs show it. */
  final Map<String, String> founders = new TreeMap<>();
  /** Whether any session has line timing (irc_cmd.log or Suricata PRIVMSG alerts). */
  final boolean lineTiming;
  /** How long the server must have been watched before joins in a channel of unknown history count. */
  final long warmUp;

  View(IrcServer server, long quietBeforeMicros, long answerWindowMicros, long warmUpMicros) {
    this.server = server;
    this.warmUp = warmUpMicros;
    boolean timing = false;
    for (Map.Entry<String, IrcServer.Client> e : server.clients.entrySet()) {
      IrcServer.Client c = e.getValue();
      timing |= c.cmdLog || !c.eveLines.isEmpty();
      for (String ch : c.joins.keySet()) {
        members.computeIfAbsent(ch, k -> new ArrayList<>()).add(e.getKey());
        hostChannels.computeIfAbsent(c.host, k -> new TreeSet<>()).add(ch);
      }
    }
    this.lineTiming = timing;
    for (Map.Entry<String, List<String>> m : members.entrySet()) {
      String ch = m.getKey();
      m.getValue().sort(Comparator.comparingLong((String s) -> server.clients.get(s).joins.get(ch)).thenComparing(s -> s));
      List<ChannelLine> ls = new ArrayList<>();
      for (String s : m.getValue()) {
        IrcServer.Client c = server.clients.get(s);
        if (c.cmdLog) {
          for (IrcServer.Line l : c.lines) {
            if (ch.equals(l.channel())) {
              ls.add(new ChannelLine(l.ts(), s));
            }
          }
        } else if (c.joins.size() == 1) {
          // an alert's line has no channel: it is this channel's only where the client is in no other
          for (long t : c.eveLines) {
            ls.add(new ChannelLine(t, s));
          }
        }
      }
      ls.sort(Comparator.comparingLong(ChannelLine::ts).thenComparing(ChannelLine::session));
      lines.put(ch, ls);
      bursts.put(ch, bursts(ls, quietBeforeMicros, answerWindowMicros));
      String f = founder(ch, m.getValue());
      if (f != null) {
        founders.put(ch, f);
      }
    }
  }

  private static List<Burst> bursts(List<ChannelLine> ls, long quietBefore, long window) {
    List<Burst> out = new ArrayList<>();
    for (int i = 0; i < ls.size(); i++) {
      ChannelLine l = ls.get(i);
      if (i > 0 && l.ts() - ls.get(i - 1).ts() < quietBefore) {
        continue;
      }
      Map<String, Long> answers = new LinkedHashMap<>();
      for (int j = i + 1; j < ls.size() && ls.get(j).ts() - l.ts() <= window; j++) {
        ChannelLine a = ls.get(j);
        if (!a.session().equals(l.session())) {
          answers.putIfAbsent(a.session(), a.ts() - l.ts());
        }
      }
      if (!answers.isEmpty()) {
        out.add(new Burst(l.session(), l.ts(), answers));
      }
    }
    return out;
  }

  /**
   * The founder: the first member seen joining, if the logs show it made the channel its own: the server
   * relayed a MODE change of that channel by it (irc_cmd.log), or it joined without the key that every
   * later member needed (irc.log), which only the channel's creator or an operator can arrange.
   */
  private String founder(String ch, List<String> ms) {
    if (ms.isEmpty()) {
      return null;
    }
    String first = ms.get(0);
    IrcServer.Client c = server.clients.get(first);
    if (c.modeChannels.contains(ch)) {
      return first;
    }
    if (c.keys.get(ch) != null || ms.size() < 2) {
      return null;
    }
    for (int i = 1; i < ms.size(); i++) {
      if (server.clients.get(ms.get(i)).keys.get(ch) == null) {
        return null;
      }
    }
    return first;
  }

  /**
   * From when a channel's joins are history enough to judge its growth and its members' steps: its
   * founding where the logs show who founded it (a herder keys or moderates his channel), otherwise
   * {@code warm_up} after the server was first seen. Before that, joins are what watching began with:
   * everyone already there, or arriving while bottrace could not know how the channel had been.
   */
  long historyFrom(String ch) {
    String f = founders.get(ch);
    if (f != null) {
      return client(f).joins.get(ch);
    }
    return server.first + warmUp;
  }

  /**
   * The times members joined a channel, in order: the sessions' own joins and those the server relayed to
   * them, one per nick (the earliest).
   */
  List<Long> joinTimes(String ch) {
    Map<String, Long> byNick = new HashMap<>();
    for (String s : members.getOrDefault(ch, List.of())) {
      IrcServer.Client c = client(s);
      String nick = c.nick();
      byNick.merge(nick == null ? "\u0000" + s : nick, c.joins.get(ch), Math::min);
      for (Map.Entry<String, Long> j : c.seenJoins.getOrDefault(ch, new java.util.TreeMap<>()).entrySet()) {
        byNick.merge(j.getKey(), j.getValue(), Math::min);
      }
    }
    List<Long> out = new ArrayList<>(byNick.values());
    java.util.Collections.sort(out);
    return out;
  }

  IrcServer.Client client(String session) {
    return server.clients.get(session);
  }

  /** How many distinct channels the session's host joined on this server. */
  int channelsOf(String session) {
    Set<String> s = hostChannels.get(client(session).host);
    return s == null ? 0 : s.size();
  }
}
