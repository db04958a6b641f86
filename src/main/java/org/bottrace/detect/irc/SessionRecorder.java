package org.bottrace.detect.irc;

import com.github.benmanes.caffeine.cache.Cache;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.bottrace.event.ConnEvent;
import org.bottrace.event.EveAlert;
import org.bottrace.event.EveFlow;
import org.bottrace.event.Event;
import org.bottrace.event.FlowKey;
import org.bottrace.event.IrcPktEvent;
import org.bottrace.event.Micros;

/**
 * Records what the logs show of IRC servers into the session model ({@link IrcServer}, one per server and
 * port, in IRC::Botnet's checkpointed cache): the facts of IRC records ({@link IrcFacts}), irc_pkt.log's
 * packets, conn.log and EVE flow durations, and Suricata alerts on known sessions. It decides nothing:
 * every server it changes is handed to {@code changed}, which schedules the evaluation.
 */
final class SessionRecorder {
  /** Told of each server a record changed, and when the record became available. */
  interface Changed {
    void touched(IrcServer s, long at);
  }

  private static final Pattern PRIVMSG = Pattern.compile("(?i)\\bPRIVMSG\\b");
  static final int MAX_ITEMS = 32;

  /**
   * The bounds of one server's state: sessions kept (past it the least recently active tenth is
   * forgotten), and lines of each kind kept per session (past it the oldest, or for commands and reports
   * the newest, are not kept). Every item forgotten is counted.
   */
  record Bounds(int maxClients, int maxLines) {}

  private final Cache<String, IrcServer> servers;
  private final Changed changed;
  /** IRC::ControlSession's bursts, told of each IRC record; null when disabled. */
  private final ControlSessions controlSessions;
  private final Bounds bounds;
  private final org.bottrace.detect.DetectorContext ctx;

  SessionRecorder(org.bottrace.detect.DetectorContext ctx, Cache<String, IrcServer> servers, Changed changed,
      ControlSessions controlSessions, Bounds bounds) {
    this.ctx = ctx;
    this.servers = servers;
    this.changed = changed;
    this.controlSessions = controlSessions;
    this.bounds = bounds;
  }

  /** Whether a list of lines has room for one more; when not, the line is counted as forgotten. */
  private boolean room(List<?> l) {
    if (l.size() < bounds.maxLines()) {
      return true;
    }
    linesForgotten();
    return false;
  }

  private void linesForgotten() {
    ctx.evicted("irc.lines", 1, "IRC::Botnet: a session has more than max_lines (" + bounds.maxLines()
        + ") lines of one kind; the oldest are forgotten");
  }

  /**
   * A server with {@code max_clients} sessions gets a new one: the least recently active tenth of them
   * is forgotten (their IRC::ControlSession reported first), counted.
   */
  private void evictClients(IrcServer s) {
    int n = Math.max(1, s.clients.size() / 10);
    List<java.util.Map.Entry<String, IrcServer.Client>> all = new ArrayList<>(s.clients.entrySet());
    all.sort(java.util.Comparator.comparingLong((java.util.Map.Entry<String, IrcServer.Client> e) -> e.getValue().last)
        .thenComparing(java.util.Map.Entry::getKey));
    String server = serverKey(s.ip, s.port);
    for (java.util.Map.Entry<String, IrcServer.Client> e : all.subList(0, n)) {
      if (controlSessions != null) {
        controlSessions.evicting(server, e.getKey(), s);
      }
      s.clients.remove(e.getKey());
    }
    ctx.evicted("irc.sessions", n, "IRC::Botnet: server " + s.ip + ":" + s.port + " has more than max_clients ("
        + bounds.maxClients() + ") sessions; the least recently active are forgotten");
  }

  /** Takes an event into the model: IRC records, irc_pkt rows, conn rows, Suricata alerts and flows. */
  void record(Event e) {
    IrcFacts.Record r = IrcFacts.of(e);
    if (r != null) {
      ircRecord(r);
    } else if (e instanceof IrcPktEvent) {
      ircPkt((IrcPktEvent) e);
    } else if (e instanceof ConnEvent) {
      conn((ConnEvent) e, "zeek conn.log");
    } else if (e instanceof org.bottrace.event.OpenConnEvent o) {
      conn(o.row(), "zeek " + o.log() + ".log"); // a session still open: how long it has lasted so far
    } else if (e instanceof EveAlert) {
      alert((EveAlert) e);
    } else if (e instanceof EveFlow) {
      eveFlow((EveFlow) e);
    }
  }

  static String serverKey(String ip, int port) {
    return ip + "|" + port;
  }

  static String sessionKey(FlowKey f) {
    String c = f.communityId();
    return c == null ? f.toString() : c;
  }

  /** A record changed the server: its time and source, and it is due an evaluation. */
  private void touched(IrcServer s, long at, String source) {
    s.last = Math.max(s.last, at);
    s.sources.merge(source, at, Math::min);
    changed.touched(s, at);
  }

  /**
   * The session of a client-to-server flow, made if new (null when the server has too many). {@code ts} is
   * the record's event time, {@code at} when it became available (later for conn.log rows).
   */
  private IrcServer.Client client(FlowKey f, long ts, long at, String source, boolean ircRecord) {
    IrcServer s = servers.get(serverKey(f.respH(), f.respP()), k -> new IrcServer(f.respH(), f.respP(), ts));
    touched(s, at, source);
    String key = sessionKey(f);
    IrcServer.Client c = s.clients.get(key);
    if (c == null) {
      if (s.clients.size() >= bounds.maxClients()) {
        evictClients(s);
      }
      c = new IrcServer.Client(f.origH(), f.origP(), ts);
      c.knownAt = at;
      s.clients.put(key, c);
    }
    if (ircRecord && !c.ircSeen) {
      // a session first known from a conn row or an alert: its IRC records give its times
      c.ircSeen = true;
      c.first = ts;
      c.last = ts;
      c.knownAt = at;
    } else if (ircRecord) {
      c.first = Math.min(c.first, ts);
      c.last = Math.max(c.last, ts);
    }
    if (ircRecord || !c.ircSeen) {
      c.knownAt = Math.min(c.knownAt, at);
    }
    return c;
  }

  /** The known session of a flow in either direction, or null (cheap when neither end is a known server). */
  private IrcServer.Client known(FlowKey f, long at, String source) {
    String key = null;
    for (FlowKey g : new FlowKey[] {f, f.reversed()}) {
      IrcServer s = servers.getIfPresent(serverKey(g.respH(), g.respP()));
      if (s != null) {
        if (key == null) {
          key = sessionKey(f); // the community id is the same both ways
        }
        IrcServer.Client c = s.clients.get(key);
        if (c != null && c.host.equals(g.origH()) && c.port == g.origP()) {
          touched(s, at, source);
          return c;
        }
      }
    }
    return null;
  }

  /** A Zeek uid (the first is the notice's main uid) or a Suricata flow id of the session. */
  private static void uid(IrcServer.Client c, String uid, long at, boolean zeek) {
    if (uid == null) {
      return;
    }
    if (zeek && c.zeekUid == null) {
      c.zeekUid = uid;
      c.zeekUidAt = at;
    }
    if (c.uidAt.size() < MAX_ITEMS) {
      c.uidAt.merge(uid, at, Math::min);
    }
  }

  private <T> void bounded(List<T> l, T v) {
    if (l.size() >= bounds.maxLines()) {
      l.remove(0);
      linesForgotten();
    }
    l.add(v);
  }

  private static void nick(IrcServer.Client c, String n, long at) {
    if (n != null && !n.isEmpty() && (c.nickAt.size() < MAX_ITEMS || c.nickAt.containsKey(n))) {
      c.nickAt.merge(n, at, Math::min);
    }
  }

  /** The client joined a channel: kept in the session, and its host in the server's channel index. */
  private void join(IrcServer server, IrcServer.Client c, String channel, long ts, String key) {
    if (channel == null || channel.isEmpty() || c.joins.size() >= MAX_ITEMS && !c.joins.containsKey(channel)) {
      return;
    }
    boolean first = c.joins.putIfAbsent(channel, ts) == null;
    c.joins.merge(channel, ts, Math::min);
    if (key != null) {
      c.keys.put(channel, key);
    }
    if (first && server != null && !server.member(channel, c.host, bounds.maxClients())) {
      ctx.evicted("irc.channel_hosts", 1, "IRC::Botnet: server " + server.ip + ":" + server.port + " has more than"
          + " max_clients (" + bounds.maxClients() + ") channels or hosts in a channel; the rest are not counted");
    }
  }

  private static void service(IrcServer.Client c, String service, long at) {
    if (at < c.serviceAt) {
      c.service = service;
      c.serviceAt = at;
    }
  }

  /**
   * An IRC record (Zeek irc.log, bottrace's irc_cmd.log, Suricata's ftp events of IRC) through
   * {@link IrcFacts}: the one parse every IRC detector shares. A Suricata ftp event that holds nothing
   * IRC-like adds to a session known already and makes none.
   */
  private void ircRecord(IrcFacts.Record r) {
    long ts = r.ts();
    IrcServer.Client c = r.makesSession() ? client(r.session(), ts, ts, r.source(), true)
        : known(r.session(), ts, r.source());
    if (c == null) {
      return;
    }
    uid(c, r.uid(), ts, r.zeek());
    if (r.everyCommand()) {
      c.cmdAt = Math.min(c.cmdAt, ts);
    }
    service(c, "irc", ts);
    String sk = serverKey(r.session().respH(), r.session().respP());
    IrcServer server = servers.getIfPresent(sk);
    for (IrcFacts.Fact f : r.facts()) {
      fact(server, c, ts, f);
    }
    commands(c, r);
    if (controlSessions != null) {
      controlSessions.record(r, sk, sessionKey(r.session()));
    }
  }

  /**
   * The control commands of document 000's filter the record shows the client using: every command of
   * irc.log (it has only those and a few more), those of irc_cmd.log that are control commands, and of
   * Suricata's ftp events the NICK and JOIN the server's welcome and echo show.
   */
  private static void commands(IrcServer.Client c, IrcFacts.Record r) {
    long ts = r.ts();
    c.sourceAt.merge(r.suricata() ? ControlSessions.FTP_SOURCE : r.source(), ts, Math::min);
    for (IrcFacts.Fact f : r.facts()) {
      String cmd = null;
      if (f instanceof IrcFacts.ClientCommand x && (!r.everyCommand() || ControlSessions.CONTROL.contains(x.command()))) {
        cmd = x.command();
      } else if (f instanceof IrcFacts.Nick && r.suricata()) {
        cmd = "NICK";
      } else if (f instanceof IrcFacts.JoinEcho j && r.suricata() && c.nickAt.containsKey(j.nick())) {
        cmd = "JOIN";
      }
      if (cmd != null && (c.commandAt.size() < MAX_ITEMS || c.commandAt.containsKey(cmd))) {
        c.commandAt.merge(cmd, ts, Math::min);
      }
    }
  }

  /**
   * A count of the server's users as its LUSERS replies gave it: each change is kept (the first
   * {@code MAX_ITEMS}), so the count as of a time is the latest change then.
   */
  private static void userCount(IrcServer s, long ts, String kind, long n) {
    if (s != null && n >= 0) {
      IrcServer.changed(s.users.computeIfAbsent(kind, k -> new ArrayList<>()), ts, Long.toString(n), MAX_ITEMS);
    }
  }

  /**
   * Another member joining a channel the client is in: the channel's growth seen from inside. The
   * earliest join of each nick is kept, for at most {@code max_lines} nicks a channel.
   */
  private void seenJoin(IrcServer.Client c, long ts, String channel, String nick) {
    if (nick == null || !c.joins.containsKey(channel) || c.seenJoins.size() >= MAX_ITEMS
        && !c.seenJoins.containsKey(channel)) {
      return;
    }
    TreeMap<String, Long> m = c.seenJoins.computeIfAbsent(channel, k -> new TreeMap<>());
    if (m.size() < bounds.maxLines() || m.containsKey(nick)) {
      m.merge(nick, ts, Math::min);
    }
  }

  private void fact(IrcServer server, IrcServer.Client c, long ts, IrcFacts.Fact fact) {
    if (fact instanceof IrcFacts.Nick n) {
      nick(c, n.nick(), ts);
    } else if (fact instanceof IrcFacts.User u) {
      if (ts < c.userAt) {
        c.userAt = ts;
        c.ident = u.ident();
        c.userArgs = u.args();
        c.userMode = u.mode();
        c.realname = u.realname();
      }
    } else if (fact instanceof IrcFacts.Join j) {
      join(server, c, j.channel(), ts, j.key());
    } else if (fact instanceof IrcFacts.JoinEcho j) {
      if (c.nickAt.isEmpty() || c.nickAt.containsKey(j.nick())) {
        nick(c, j.nick(), ts);
        join(server, c, j.channel(), ts, null);
      } else {
        seenJoin(c, ts, j.channel(), j.nick());
      }
    } else if (fact instanceof IrcFacts.MemberJoined j) {
      if (c.nickAt.containsKey(j.nick())) {
        join(server, c, j.channel(), ts, null);
      } else if (!c.nickAt.isEmpty()) {
        seenJoin(c, ts, j.channel(), j.nick());
      }
    } else if (fact instanceof IrcFacts.Part p) {
      if (c.parts.size() < MAX_ITEMS) {
        c.parts.merge(p.channel(), ts, Math::min);
      }
    } else if (fact instanceof IrcFacts.Pass) {
      c.passAt = Math.min(c.passAt, ts);
    } else if (fact instanceof IrcFacts.ModeRelayed m) {
      if (m.from() != null && c.nickAt.containsKey(m.from()) && c.modeAt.size() < MAX_ITEMS) {
        c.modeAt.merge(m.channel(), ts, Math::min);
      }
    } else if (fact instanceof IrcFacts.ChannelModes m) {
      if (c.joins.containsKey(m.channel()) && (c.modes.size() < MAX_ITEMS || c.modes.containsKey(m.channel()))) {
        IrcServer.changed(c.modes.computeIfAbsent(m.channel(), k -> new ArrayList<>()), ts, m.modes(), MAX_ITEMS);
      }
    } else if (fact instanceof IrcFacts.ChannelError x) {
      if (c.errors.size() < MAX_ITEMS || c.errors.containsKey(x.channel())) {
        ArrayList<IrcServer.Stamp> l = c.errors.computeIfAbsent(x.channel(), k -> new ArrayList<>());
        if (l.size() < 16 && l.stream().noneMatch(s -> s.value().equals(x.code()))) {
          l.add(new IrcServer.Stamp(ts, x.code()));
        }
      }
    } else if (fact instanceof IrcFacts.OwnLine o) {
      if (o.channel() != null) {
        bounded(c.lines, new IrcServer.Line(ts, o.channel(), null));
      }
      ownLine(c, ts, o.channel(), o.words(), o.tag(), o.url());
    } else if (fact instanceof IrcFacts.Delivered d) {
      String from = IrcFacts.nickOf(d.from());
      if (from != null && c.nickAt.containsKey(from)) {
        return; // its own line, echoed
      }
      if (!d.topic() && d.channel() != null) {
        bounded(c.delivered, new IrcServer.Line(ts, d.channel(), d.from()));
      }
      heardLine(c, ts, d.channel(), d.from(), d.words(), d.url(), d.topic());
    } else if (fact instanceof IrcFacts.UserCounts u) {
      userCount(server, ts, "visible", u.visible());
      userCount(server, ts, "invisible", u.invisible());
      userCount(server, ts, "local", u.local());
      userCount(server, ts, "global", u.global());
      userCount(server, ts, "servers", u.servers());
    } else if (fact instanceof IrcFacts.NamesList n) {
      names(c, ts, n.channel(), n.nicks(), n.count());
    } else if (fact instanceof IrcFacts.Dcc d) {
      if (c.dccs.size() < MAX_ITEMS) {
        c.dccs.add(new IrcServer.Dcc(ts, d.file(), d.size(), d.mime(), d.target()));
      }
    } else if (fact instanceof IrcFacts.ServerName n) {
      if (ts < c.serverNameAt) {
        c.serverName = n.name();
        c.serverNameAt = ts;
      }
    }
  }

  /** A line delivered to the client (or a topic): a C&C command heard, if it is one. */
  void heardLine(IrcServer.Client c, long ts, String channel, String from, String words, String url,
      boolean topic) {
    BotCommands.Command cmd = BotCommands.command(words, url);
    if (cmd != null && room(c.heard)) {
      c.heard.add(new IrcServer.Heard(ts, channel, from, cmd.word(), cmd.strong(), topic));
    }
  }

  /** One of the client's own lines: a report, or a command it sends. */
  void ownLine(IrcServer.Client c, long ts, String channel, String words, String tag, String url) {
    String report = BotCommands.report(tag);
    if (report != null && room(c.reports)) {
      c.reports.add(new IrcServer.Report(ts, channel, report));
    }
    BotCommands.Command cmd = BotCommands.command(words, url);
    if (cmd != null && room(c.sent)) {
      c.sent.add(new IrcServer.Heard(ts, channel, null, cmd.word(), cmd.strong(), false));
    }
  }

  /**
   * A NAMES reply: the first few of each channel are kept, with up to 64 nicks each; the lines of one
   * reply (a long list comes in several 353 lines at one time) are one.
   */
  static void names(IrcServer.Client c, long ts, String channel, List<String> nicks, int count) {
    if (c.names.size() >= MAX_ITEMS && !c.names.containsKey(channel)) {
      return;
    }
    ArrayList<IrcServer.Names> l = c.names.computeIfAbsent(channel, k -> new ArrayList<>());
    List<String> kept = new ArrayList<>();
    List<String> ops = new ArrayList<>();
    int n = Math.max(count, nicks.size());
    IrcServer.Names last = l.isEmpty() ? null : l.get(l.size() - 1);
    if (last != null && last.ts() == ts) {
      kept.addAll(last.nicks());
      if (last.operators() != null) {
        ops.addAll(last.operators());
      }
      n += last.count();
      l.remove(l.size() - 1);
    } else if (l.size() >= 16) {
      return;
    }
    for (String x : nicks) {
      String nick = x.replaceFirst("^[~&@%+]+", "");
      if (!nick.isEmpty() && kept.size() < 64) {
        kept.add(nick);
      }
      if (!nick.isEmpty() && x.matches("^[~&%+]*@.*") && ops.size() < 8) {
        ops.add(nick);
      }
    }
    l.add(new IrcServer.Names(ts, n, kept, ops));
  }


  private void ircPkt(IrcPktEvent e) {
    if (e.encrypted()) {
      return; // a TLS session: no IRC content to model (IRC::FlowBotnet judges its packets)
    }
    long ts = e.ts();
    IrcServer.Client c = client(e.flow(), ts, ts, IrcFacts.IRC_PKT, true);
    if (c == null) {
      return;
    }
    uid(c, e.uid(), ts, true);
    c.pktAt = Math.min(c.pktAt, ts);
    service(c, "irc", ts);
    if (e.isOrig()) {
      c.packet(ts, e.len(), e.gap() != Micros.UNSET && e.gap() >= 0 ? e.gap() : Long.MIN_VALUE);
    }
  }

  /**
   * conn.log adds to sessions its IRC records made known: the duration (long stay) and Zeek's service
   * guess. A connection Zeek calls irc but that has no irc.log row (IRC over TLS, irc.log not kept) is
   * left alone: an odd port and a long stay are the only signs it could give, and two weak signs never
   * make a verdict (this also keeps the detector cheap on sensors where many connections say irc).
   */
  private void conn(ConnEvent e, String source) {
    long at = e.availableAt();
    IrcServer.Client c = known(e.flow(), at, source);
    if (c == null) {
      return;
    }
    uid(c, e.uid(), at, true);
    String svc = e.service() == null ? "" : e.service().toLowerCase(Locale.ROOT);
    if (svc.contains("irc") && !svc.contains("irc-dcc")) {
      service(c, e.service(), at);
    }
    if (e.duration() != Micros.UNSET && e.duration() >= 0) {
      duration(c, e.duration(), at);
    }
  }

  private static void duration(IrcServer.Client c, long duration, long at) {
    if (duration > c.duration) {
      c.duration = duration;
      c.durationAt = at;
    }
  }

  private void eveFlow(EveFlow e) {
    long at = e.availableAt();
    IrcServer.Client c = known(e.flow(), at, "suricata flows");
    if (c != null && e.end() >= e.ts()) {
      duration(c, e.end() - e.ts(), at);
    }
  }

  /**
   * An alert is evidence on a session IRC records made known (Zeek irc/irc_cmd/irc_pkt, Suricata ftp
   * events). An alert on a session nothing else shows as IRC is left alone: alerts alone, with the
   * flow's duration, cannot make a verdict, and sensors see many IRC alerts.
   */
  private void alert(EveAlert e) {
    long ts = e.ts();
    FlowKey f = e.flow();
    java.util.Set<EveAlert.RuleEvidence> ev = e.evidence();
    IrcServer.Client c;
    if (ev.isEmpty()) {
      c = known(f, ts, "suricata alerts");
    } else {
      // bottrace's rules fire on IRC flows only (their flowbits): the alert makes the session known
      boolean toClient = "to_client".equals(e.direction()) || e.direction() == null
          && (ev.contains(EveAlert.RuleEvidence.IRC_COMMAND) || ev.contains(EveAlert.RuleEvidence.IRC_ORDER));
      c = client(toClient ? f.reversed() : f, ts, ts, "suricata alerts", true);
      if (c != null) {
        service(c, "irc", ts);
      }
    }
    if (c == null) {
      return;
    }
    if (ev.isEmpty()) {
      if (c.alertAt.size() < MAX_ITEMS * 8) {
        c.alertAt.add(new IrcServer.Stamp(ts, e.sid() + "|" + e.severity() + "|"
            + (e.category() == null ? "" : e.category()) + "|" + (e.signature() == null ? "" : e.signature())));
      }
      boolean toServer = f.origH().equals(c.host) && f.origP() == c.port;
      if (toServer && e.signature() != null && PRIVMSG.matcher(e.signature()).find()) {
        bounded(c.eveLines, ts);
      }
      return;
    }
    String rule = (e.signature() == null ? "rule" : e.signature()) + " (" + e.sid() + ")";
    for (EveAlert.RuleEvidence x : ev) {
      switch (x) {
        case IRC_COMMAND:
        case IRC_ORDER:
          if (room(c.heard)) {
            c.heard.add(new IrcServer.Heard(ts, null, null, rule, x == EveAlert.RuleEvidence.IRC_ORDER, false, e.sid()));
          }
          break;
        case IRC_COMMAND_SENT:
          if (room(c.sent)) {
            c.sent.add(new IrcServer.Heard(ts, null, null, rule, false, false, e.sid()));
          }
          bounded(c.eveLines, ts); // a line too: what the bots answer in step
          break;
        case IRC_REPORT:
          if (room(c.reports)) {
            c.reports.add(new IrcServer.Report(ts, null, rule, e.sid()));
          }
          bounded(c.eveLines, ts);
          break;
        case IRC_LINE:
          bounded(c.eveLines, ts);
          break;
        default:
          // what the rule saw of the registration, the port or a DCC offer, for the names mechanism
          if (c.ruleSigns.size() < MAX_ITEMS) {
            c.ruleSigns.add(new IrcServer.Stamp(ts, x.name()));
          }
          break;
      }
    }
  }

}
