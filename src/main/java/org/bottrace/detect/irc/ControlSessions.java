package org.bottrace.detect.irc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.detect.DetectorContext;
import org.bottrace.event.Micros;
import org.bottrace.finding.Finding;
import org.bottrace.state.StateStore;

/**
 * {@code IRC::ControlSession}: one informational notice per IRC client session that used the control
 * commands of document 000's filter (USER, NICK, PASS, JOIN, MODE): client, server, port, nicks, the
 * USER line, channels and their keys, PASS when visible, DCC offers. It is rendered from IRC::Botnet's
 * session model ({@link IrcServer.Client}), the one every IRC mechanism reads, so a session's nicks and
 * channels are the same in this notice and in a verdict.
 *
 * <p>Sources: Zeek irc.log, bottrace's irc_cmd.log and, where Suricata took the IRC session for FTP, the
 * server's replies in EVE ftp events (the 001 welcome names the nick, the server's echo of a JOIN names
 * the channel). Both sensors' records of one session are joined by community id: one notice.
 *
 * <p>A burst of records is reported when it has been quiet for {@code quiet} of log time (or at the end
 * of a replay), with the session as it was then; a later burst on the same connection is reported again,
 * and written only if it adds a fact (a nick, a channel, a DCC offer: see suppression).
 */
final class ControlSessions {
  static final String NOTE = "IRC::ControlSession";
  /** Document 000's filter: the commands that mark a control session. */
  static final Set<String> CONTROL = Set.of("USER", "NICK", "PASS", "JOIN", "MODE");
  /** How the notices name Suricata's ftp events of an IRC session. */
  static final String FTP_SOURCE = IrcFacts.FTP + " (IRC taken for FTP)";

  /** A burst of a session's IRC records: its server and session keys, first and last record. */
  static final class Burst {
    String server;
    String session;
    long first;
    long last;

    Burst() {}

    Burst(String server, String session, long ts) {
      this.server = server;
      this.session = session;
      this.first = ts;
      this.last = ts;
    }
  }

  private final DetectorContext ctx;
  private final Cache<String, Burst> bursts;
  private final long quiet;
  private final java.util.function.Function<String, IrcServer> servers;

  /**
   * @param servers the server model by server key (IRC::Botnet's), read when a burst is reported
   */
  ControlSessions(DetectorContext ctx, ConfigNode c, java.util.function.Function<String, IrcServer> servers)
      throws ConfigException {
    this.ctx = ctx;
    this.servers = servers;
    this.quiet = IrcBotnet.positiveMicros(c, "quiet", java.time.Duration.ofMinutes(2));
    this.bursts = ctx.deadlineCache("irc.control_bursts", 0, b -> b.last + quiet, (k, b, cause) -> {
      if (b != null && cause != RemovalCause.REPLACED) {
        report(b);
      }
    }, StateStore.Codec.of(String.class, Burst.class));
  }

  /**
   * An IRC record the session model has taken in. Of irc_cmd.log only the client's own commands make a
   * burst (the server's replies there add to the session but do not keep it open); a Suricata ftp event
   * with nothing IRC-like in it continues a burst and starts none.
   */
  void record(IrcFacts.Record r, String server, String session) {
    boolean clientLine = r.facts().stream().anyMatch(f -> f instanceof IrcFacts.ClientCommand);
    if (r.everyCommand() && !clientLine) {
      return;
    }
    Burst b = bursts.getIfPresent(session);
    if (b == null) {
      if (!r.makesSession()) {
        return;
      }
      b = new Burst(server, session, r.ts());
    }
    b.first = Math.min(b.first, r.ts());
    b.last = Math.max(b.last, r.ts());
    bursts.put(session, b); // (again): its deadline moves with its last record
  }

  /** A server being forgotten, whose bursts are being reported from it. */
  private String forgettingKey;
  private IrcServer forgetting;

  /** Reports the bursts of a server the model has just forgotten (its size bound, or its memory). */
  void forgetting(String server, IrcServer s) {
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, Burst> e : bursts.asMap().entrySet()) {
      if (e.getValue().server.equals(server)) {
        keys.add(e.getKey());
      }
    }
    reportFrom(server, s, keys);
  }

  /** Reports the burst of a session its server is about to forget (max_clients), from the server. */
  void evicting(String server, String session, IrcServer s) {
    if (bursts.getIfPresent(session) != null) {
      reportFrom(server, s, List.of(session));
    }
  }

  /** Reports these bursts now, from {@code s} (which the server cache may no longer hold). */
  private void reportFrom(String server, IrcServer s, List<String> sessions) {
    forgettingKey = server;
    forgetting = s;
    try {
      bursts.invalidateAll(sessions);
    } finally {
      forgetting = null;
      forgettingKey = null;
    }
  }

  void onEnd() {
    bursts.invalidateAll();
  }

  private void report(Burst b) {
    IrcServer server = b.server.equals(forgettingKey) ? forgetting : servers.apply(b.server);
    IrcServer.Client live = server == null ? null : server.clients.get(b.session);
    if (live == null) {
      ctx.evicted("irc.control_sessions", 1, NOTE + ": a session to " + b.server.replace('|', ':')
          + " was forgotten before it was reported (IRC::Botnet.max_servers)");
      return;
    }
    long t = b.last + quiet;
    IrcServer.Client c = live.asOf(t);
    // in the order joined, ties by name: rows of one instant come in any order (Zeek writes a JOIN list's
    // channels in hash order, differently from run to run)
    List<String> chans = new ArrayList<>(c.joins.keySet());
    chans.sort(java.util.Comparator.comparing((String ch) -> c.joins.get(ch)).thenComparing(ch -> ch));
    Map<String, Object> seen = new LinkedHashMap<>();
    for (String ch : chans) {
      Set<String> hosts = server.channelHosts.get(ch);
      seen.put(ch, hosts == null ? 1 : Math.max(1, hosts.size()));
    }
    Map<String, String> keys = new java.util.TreeMap<>(c.keys);
    List<String> nicks = byFirstSeen(c);
    String nick = nicks.isEmpty() ? null : nicks.get(0);
    String ip = server.ip;
    int port = server.port;
    StringBuilder msg = new StringBuilder("IRC client ").append(c.host);
    if (nick != null) {
      msg.append(" as ").append(nick);
    }
    msg.append(" on ").append(ip).append(':').append(port);
    if (c.commands.contains("USER") || c.commands.contains("NICK")) {
      msg.append(c.commands.contains("USER") ? ", registered" : ", changed nick");
    }
    if (!chans.isEmpty()) {
      msg.append(", joined ");
      for (int i = 0; i < chans.size(); i++) {
        if (i > 0) {
          msg.append(", ");
        }
        msg.append(chans.get(i));
        if (keys.containsKey(chans.get(i))) {
          msg.append(" (key ").append(keys.get(chans.get(i))).append(')');
        }
      }
    }
    List<Map<String, Object>> dcc = new ArrayList<>();
    for (IrcServer.Dcc d : c.dccs) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("file", d.file());
      m.put("size", d.size() < 0 ? null : d.size());
      m.put("mime", d.mime());
      m.put("target", d.target());
      dcc.add(m);
    }
    String user = c.ident == null ? null : c.userArgs == null || c.userArgs.isEmpty() ? c.ident : c.ident + " " + c.userArgs;
    org.bottrace.event.FlowKey flow = new org.bottrace.event.FlowKey(c.host, c.port, ip, port, "tcp");
    String uid = c.zeekUid != null ? c.zeekUid : c.uids.isEmpty() ? null : c.uids.first();
    Finding.Builder f = Finding.builder(NOTE, b.first)
        .rated(Finding.Severity.INFORMATIONAL, 1.0) // what the session did, not a verdict
        .msg(msg.toString())
        .sub(String.join(",", nicks))
        .conn(uid, flow)
        .uids(c.uids)
        .src(c.host)
        .dst(ip)
        .port(port)
        .key(c.host + "|" + c.port + "|" + ip + "|" + port)
        .window(b.first / 1_000_000L * 1_000_000L)
        .evidence("client", c.host)
        .evidence("client_internal", ctx.home().contains(c.host))
        .evidence("server", ip)
        .evidence("server_port", port)
        .evidence("server_name", c.serverName)
        .evidence("nicks", nicks)
        .evidence("user", user == null ? null : List.of(user))
        .evidence("channels", chans)
        .evidence("channel_keys", keys.isEmpty() ? null : Finding.pairs(keys, "channel", "key"))
        .evidence("channel_clients_seen", seen.isEmpty() ? null : Finding.pairs(seen, "channel", "clients"))
        .evidence("commands", List.copyOf(c.commands))
        .evidence("pass", c.pass)
        .evidence("pass_visible", c.pass != null)
        .evidence("dcc", dcc.isEmpty() ? null : dcc)
        .firstSeen(b.first)
        .evidence("last_seen", Micros.formatEpoch(b.last))
        .evidence("sources", List.copyOf(c.logs));
    for (String n : nicks) {
      f.fact("nick:" + n);
    }
    for (String ch : chans) {
      f.fact("channel:" + ch);
    }
    for (IrcServer.Dcc d : c.dccs) {
      f.fact("dcc:" + d.file());
    }
    ctx.emit(f.build());
  }

  /** Its nicks, the first seen first (ties by name). */
  private static List<String> byFirstSeen(IrcServer.Client c) {
    List<String> out = new ArrayList<>(c.nicks);
    out.sort(java.util.Comparator.comparingLong((String n) -> c.nickAt.getOrDefault(n, Long.MAX_VALUE))
        .thenComparing(n -> n));
    return out;
  }
}
