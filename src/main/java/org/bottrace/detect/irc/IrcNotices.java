package org.bottrace.detect.irc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.bottrace.event.FlowKey;
import org.bottrace.event.Micros;
import org.bottrace.finding.Finding;
import org.bottrace.match.IpSet;

/**
 * The notices of a {@link Verdict} on one server: IRC::BotClient, IRC::BotnetChannel, IRC::Herder and
 * IRC::CCServer, with every mechanism's signs and figures and what the inputs could not show. Rendering
 * only: what is true was decided by {@link Verdict}.
 */
final class IrcNotices {
  private final IpSet home;
  private final Verdict.Thresholds t;
  private final double minNickScore;

  IrcNotices(IpSet home, Verdict.Thresholds t, double minNickScore) {
    this.home = home;
    this.t = t;
    this.minNickScore = minNickScore;
  }

  /**
   * What the server told its clients of its users (LUSERS), or null: a C&amp;C built from a hacked ircd
   * often shows one visible user beside thousands invisible.
   */
  private static Map<String, Object> users(IrcServer s) {
    if (s.users.isEmpty()) {
      return null;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    for (String k : new String[] {"visible", "invisible", "local", "global", "servers"}) {
      List<IrcServer.Stamp> v = s.users.get(k);
      if (v != null && !v.isEmpty()) {
        m.put(k, Long.parseLong(v.get(0).value()));
      }
    }
    // 251 counts the network, as 266 does: the invisible are the network's users less the visible
    Object visible = m.get("visible");
    Object global = m.get("global");
    if (!m.containsKey("invisible") && visible != null && global != null) {
      m.put("invisible", Math.max(0, (Long) global - (Long) visible));
    }
    return m;
  }

  /**
   * What the server told the client of its channels, as the client's own view: how many members its
   * NAMES reply listed, how many of them (not the client) have bot-style nicks, its operators, the
   * channel's modes.
   * Null when it told nothing (Zeek's irc.log alone).
   */
  private List<Map<String, Object>> channelsSeen(IrcServer.Client c) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (String ch : c.joins.keySet()) {
      List<IrcServer.Names> n = c.names.get(ch);
      List<IrcServer.Stamp> m = c.modes.get(ch);
      List<IrcServer.Stamp> errs = c.errors.get(ch);
      if ((n == null || n.isEmpty()) && (m == null || m.isEmpty()) && (errs == null || errs.isEmpty())) {
        continue;
      }
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("channel", ch);
      if (n != null && !n.isEmpty()) {
        IrcServer.Names names = n.get(0);
        int botLike = 0;
        for (String nick : names.nicks()) { // rank prefixes taken off when recorded
          if (!c.nicks.contains(nick) && NamePatterns.nickScore(nick, new ArrayList<>()) >= minNickScore) {
            botLike++;
          }
        }
        e.put("names_listed", names.count());
        e.put("bot_like_names", botLike);
        if (names.operators() != null && !names.operators().isEmpty()) {
          e.put("operators", names.operators()); // often the herder, named even when he is outside the view
        }
      }
      if (m != null && !m.isEmpty()) {
        e.put("modes", m.get(0).value());
      }
      if (errs != null && !errs.isEmpty()) {
        List<String> codes = new ArrayList<>();
        for (IrcServer.Stamp x : errs) {
          codes.add(x.value());
        }
        e.put("errors", codes); // 404: it may not speak there (+m), 482: it is no operator, 47x: kept out
      }
      out.add(e);
    }
    return out.isEmpty() ? null : out;
  }

  /** Writes the verdict's notices to {@code out}: bots, channels, herders, then the server. */
  void render(View v, Signs signs, Verdict verdict, Consumer<Finding> out) {
    List<String> missing = missing(v.server, v);
    for (Map.Entry<String, String> b : verdict.bots().entrySet()) {
      emitBot(out, v, b.getValue(), signs.clients.get(b.getValue()), verdict.channels().keySet(), verdict.herderHosts(),
          missing);
    }
    for (Map.Entry<String, List<Signs.Sign>> ch : verdict.channels().entrySet()) {
      emitChannel(out, v, ch.getKey(), ch.getValue(), verdict.bots(), verdict.herders(), missing);
    }
    for (Map.Entry<String, List<Signs.Sign>> h : verdict.herders().entrySet()) {
      emitHerder(out, v, h.getKey(), h.getValue(), verdict.bots());
    }
    if (verdict.ccServer()) {
      emitServer(out, v, verdict.channels().keySet(), verdict.bots(), verdict.herderHosts(), missing,
          verdict.serverScore(), verdict.scoreFrom());
    }
  }

  /** What evidence the logs at hand could not give for this server. */
  private static List<String> missing(IrcServer s, View v) {
    List<String> out = new ArrayList<>();
    if (!s.sources.containsKey(IrcFacts.IRC_CMD)) {
      out.add("irc_cmd.log: no response times, channel lines or operator rights");
    }
    if (!s.sources.containsKey(IrcFacts.IRC_PKT)) {
      out.add("irc_pkt.log: no Sn/Tn profile");
    }
    if (!v.lineTiming) {
      out.add("no line timing (irc_cmd.log or Suricata PRIVMSG alerts): no answers in step, no herder");
    }
    return out;
  }

  private static FlowKey flow(IrcServer s, IrcServer.Client c) {
    return new FlowKey(c.host, c.port, s.ip, s.port, "tcp");
  }

  private static long second(long micros) {
    return Math.floorDiv(micros, 1_000_000L) * 1_000_000L;
  }

  private void emitBot(Consumer<Finding> out, View v, String session, List<Signs.Sign> signs, Set<String> botnetChannels,
      Set<String> herders, List<String> missing) {
    IrcServer s = v.server;
    IrcServer.Client c = v.client(session);
    List<String> mechs = Signs.mechanisms(signs);
    double score = Signs.total(signs);
    List<String> chans = new ArrayList<>(v.hostChannels.getOrDefault(c.host, Set.of()));
    List<String> inBotnet = new ArrayList<>();
    for (String ch : chans) {
      if (botnetChannels.contains(ch)) {
        inBotnet.add(ch);
      }
    }
    Set<String> uids = new TreeSet<>();
    long first = c.first;
    for (Map.Entry<String, IrcServer.Client> o : s.clients.entrySet()) {
      if (o.getValue().host.equals(c.host)) {
        uids.addAll(o.getValue().uids);
        uids.add(o.getKey());
        first = Math.min(first, o.getValue().first);
      }
    }
    String nick = c.nick();
    StringBuilder msg = new StringBuilder("IRC bot ").append(c.host);
    if (nick != null) {
      msg.append(" as ").append(nick);
    }
    msg.append(" on C&C ").append(s.ip).append(':').append(s.port);
    if (!chans.isEmpty()) {
      msg.append(' ').append(String.join(",", inBotnet.isEmpty() ? chans : inBotnet));
    }
    msg.append(": score ").append(score).append(" from ").append(String.join(", ", mechs));
    Finding.Builder b = Finding.builder(IrcBotnet.BOT, c.last)
        .msg(msg.toString())
        .sub(nick)
        .conn(c.zeekUid, flow(s, c))
        .uids(uids)
        .ownIdsOnly()
        .src(c.host)
        .dst(s.ip)
        .port(s.port)
        .server(s.ip, Finding.Role.CC)
        .stage(Finding.Stage.CC_CONTACT)
        .key(c.host + "|" + s.ip + "|" + s.port)
        .window(second(first))
        .evidence("client", c.host)
        .evidence("client_internal", home.contains(c.host))
        .evidence("nicks", List.copyOf(c.nicks))
        .evidence("server", s.ip)
        .evidence("server_port", s.port)
        .evidence("channels", chans)
        .evidence("botnet_channels", inBotnet.isEmpty() ? null : inBotnet)
        .evidence("channels_seen", channelsSeen(c))
        .evidence("herders", herders.isEmpty() ? null : List.copyOf(herders))
        .evidence("score", score)
        .evidence("bot_score", t.botScore())
        .evidence("mechanisms", mechs)
        .rated(Finding.Severity.HIGH, Finding.agreeing(mechs.size()))
        .evidence("signs", Signs.evidence(signs))
        .firstSeen(first)
        .evidence("last_seen", Micros.formatEpoch(c.last))
        .evidence("unavailable", missing.isEmpty() ? null : missing);
    b.facts(mechs);
    out.accept(b.build());
  }

  private void emitChannel(Consumer<Finding> out, View v, String ch, List<Signs.Sign> signs, Map<String, String> bots,
      Map<String, List<Signs.Sign>> herders, List<String> missing) {
    IrcServer s = v.server;
    List<String> ms = v.members.get(ch);
    Set<String> hosts = new TreeSet<>();
    Set<String> keys = new TreeSet<>();
    Set<String> uids = new TreeSet<>();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (String m : ms) {
      IrcServer.Client c = v.client(m);
      hosts.add(c.host);
      if (c.keys.get(ch) != null) {
        keys.add(c.keys.get(ch));
      }
      first = Math.min(first, c.joins.get(ch));
      last = Math.max(last, c.last);
      if (c.zeekUid != null) {
        uids.add(c.zeekUid);
      }
    }
    List<String> botHosts = new ArrayList<>();
    for (String h : hosts) {
      if (bots.containsKey(h)) {
        botHosts.add(h);
      }
    }
    List<String> herderHosts = new ArrayList<>();
    for (String h : herders.keySet()) {
      if (ms.contains(h)) {
        herderHosts.add(v.client(h).host);
      }
    }
    List<String> mechs = Signs.mechanisms(signs);
    String msg = "Botnet channel " + ch + " on " + s.ip + ":" + s.port + ": " + hosts.size() + " members, "
        + botHosts.size() + " bots" + (herderHosts.isEmpty() ? "" : ", herder " + String.join(",", herderHosts))
        + "; score " + Signs.total(signs) + " from " + String.join(", ", mechs);
    Finding.Builder b = Finding.builder(IrcBotnet.CHANNEL, last)
        .msg(msg)
        .sub(ch)
        .uids(uids)
        .dst(s.ip)
        .port(s.port)
        .server(s.ip, Finding.Role.CC)
        .key(s.ip + "|" + s.port + "|" + ch)
        .window(second(first))
        .evidence("channel", ch)
        .evidence("keys_used", keys.isEmpty() ? null : List.copyOf(keys))
        .evidence("server", s.ip)
        .evidence("server_port", s.port)
        .evidence("members", hosts.size())
        .evidence("bots", botHosts)
        .evidence("herders", herderHosts.isEmpty() ? null : herderHosts)
        .evidence("score", Signs.total(signs))
        .evidence("channel_score", t.channelScore())
        .evidence("mechanisms", mechs)
        .rated(Finding.Severity.HIGH, Finding.agreeing(mechs.size()))
        .evidence("signs", Signs.evidence(signs))
        .evidence("first_join", Micros.formatEpoch(first))
        .evidence("unavailable", missing.isEmpty() ? null : missing);
    b.facts(mechs);
    if (!herderHosts.isEmpty()) {
      b.fact("herder");
    }
    out.accept(b.build());
  }

  private void emitHerder(Consumer<Finding> out, View v, String session, List<Signs.Sign> signs, Map<String, String> bots) {
    IrcServer s = v.server;
    IrcServer.Client c = v.client(session);
    List<String> chans = new ArrayList<>(v.hostChannels.getOrDefault(c.host, Set.of()));
    String nick = c.nick();
    Map<String, Object> ev = Signs.evidence(signs);
    Object answered = ((Map<?, ?>) ev.get(Herder.COMMANDS)).get("commands_answered");
    Object most = ((Map<?, ?>) ev.get(Herder.COMMANDS)).get("most_answerers");
    String msg = "IRC herder " + c.host + (nick == null ? "" : " as " + nick) + " commands "
        + String.join(",", chans) + " on " + s.ip + ":" + s.port + ": " + answered
        + " lines answered in step by up to " + most + " members";
    Finding.Builder b = Finding.builder(IrcBotnet.HERDER, c.last)
        .msg(msg)
        .actor(Finding.Actor.HERDER)
        // a herder inside the site is an attacker at work there
        .rated(home.contains(c.host) ? Finding.Severity.CRITICAL : Finding.Severity.HIGH, Finding.agreeing(ev.size() + 1))
        .sub(nick)
        .conn(c.zeekUid, flow(s, c))
        .uids(c.uids)
        .ownIdsOnly()
        .src(c.host)
        .dst(s.ip)
        .port(s.port)
        .server(s.ip, Finding.Role.CC)
        .key(c.host + "|" + s.ip + "|" + s.port)
        .window(second(c.first))
        .evidence("herder", c.host)
        .evidence("nicks", List.copyOf(c.nicks))
        .evidence("server", s.ip)
        .evidence("server_port", s.port)
        .evidence("channels", chans)
        .evidence("bot_count", bots.size())
        .evidence("score", Signs.total(signs))
        .evidence("signs", ev)
        .firstSeen(c.first);
    for (String ch : chans) {
      b.fact("channel:" + ch);
    }
    out.accept(b.build());
  }

  private void emitServer(Consumer<Finding> out, View v, Set<String> channels, Map<String, String> bots, Set<String> herders,
      List<String> missing, double score, Map<String, Object> scoreParts) {
    IrcServer s = v.server;
    Map<String, Object> keys = new TreeMap<>();
    for (String ch : channels) {
      for (String m : v.members.get(ch)) {
        String k = v.client(m).keys.get(ch);
        if (k != null) {
          keys.put(ch, k);
        }
      }
    }
    boolean pass = false;
    boolean passKnown = false;
    for (String session : bots.values()) {
      IrcServer.Client c = v.client(session);
      passKnown |= c.pass != null;
      pass |= Boolean.TRUE.equals(c.pass);
    }
    Set<String> botChannels = new TreeSet<>();
    for (String session : bots.values()) {
      IrcServer.Client c = v.client(session);
      botChannels.addAll(c.joins.keySet());
      for (Map.Entry<String, String> k : c.keys.entrySet()) {
        if (k.getValue() != null) {
          keys.putIfAbsent(k.getKey(), k.getValue());
        }
      }
    }
    String msg = "IRC C&C server " + s.ip + ":" + s.port
        + (channels.isEmpty() ? botChannels.isEmpty() ? "" : ", channel " + String.join(",", botChannels)
            : " with botnet channel " + String.join(",", channels)) + ": " + bots.size()
        + (bots.size() == 1 ? " bot" : " bots") + (herders.isEmpty() ? "" : ", herder " + String.join(",", herders));
    Finding.Builder b = Finding.builder(IrcBotnet.CC, s.last)
        .msg(msg)
        // each bot seen on it confirms the server independently
        .rated(Finding.Severity.HIGH, Finding.agreeing(Math.min(4, 1 + bots.size())))
        .sub(String.join(",", channels.isEmpty() ? botChannels : channels))
        .dst(s.ip)
        .port(s.port)
        .server(s.ip, Finding.Role.CC)
        .ircServer(s.ip, s.port, passKnown ? (Boolean) pass : null)
        .key(s.ip + "|" + s.port)
        .window(second(s.first))
        .evidence("server", s.ip)
        .evidence("server_port", s.port)
        .evidence("botnet_channels", List.copyOf(channels))
        .evidence("bot_channels", List.copyOf(botChannels))
        .evidence("channel_keys", keys.isEmpty() ? null : Finding.pairs(keys, "channel", "key"))
        .evidence("bots", List.copyOf(bots.keySet()))
        .evidence("herders", herders.isEmpty() ? null : List.copyOf(herders))
        .evidence("score", score)
        .evidence("score_from", Finding.pairs(scoreParts, "from", "points"))
        .evidence("bots_used_pass", passKnown ? pass : null)
        .evidence("pass_visible", passKnown)
        .firstSeen(s.first)
        .evidence("sources", List.copyOf(s.sources.keySet()))
        .evidence("server_users", users(s))
        .evidence("unavailable", missing.isEmpty() ? null : missing);
    for (String ch : channels) {
      b.fact("channel:" + ch);
    }
    for (String h : herders) {
      b.fact("herder:" + h);
    }
    for (String h : bots.keySet()) {
      b.fact("bot:" + h);
    }
    out.accept(b.build());
  }

}
