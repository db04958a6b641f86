package org.bottrace.detect.stage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.github.benmanes.caffeine.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.config.PortSet;
import org.bottrace.detect.Detector;
import org.bottrace.detect.DetectorContext;
import org.bottrace.detect.irc.IrcFacts;
import org.bottrace.detect.irc.IrcHosts;
import org.bottrace.detect.irc.SnTn;
import org.bottrace.event.Addresses;
import org.bottrace.event.ConnEvent;
import org.bottrace.event.EveFlow;
import org.bottrace.event.Event;
import org.bottrace.event.FlowKey;
import org.bottrace.event.IrcPktEvent;
import org.bottrace.event.Micros;
import org.bottrace.event.OpenConnEvent;
import org.bottrace.event.TlsEvent;
import org.bottrace.finding.Finding;
import org.bottrace.state.StateStore;

/**
 * {@code IRC::FlowBotnet}: IRC bots found from flow records, where no IRC line is visible (NetFlow-like
 * conn.log, Suricata flows, open-connection logs, IRC over TLS): document 000's network-anomaly method
 * with BotMiner's two planes.
 *
 * <p>C-plane: long, low-rate TCP sessions from internal hosts to an external server on an IRC port, a
 * port the content showed IRC on, or TLS naming an IRC server; each described by what flow records give
 * (packets per minute and bytes per packet each way, and with the package's irc_pkt.log the client's
 * Sn/Tn). Two sessions are alike when every figure is within {@code alike_factor} of the other's.
 *
 * <p>A-plane: what internal hosts do that bots are told to do and people on IRC do not do together: a
 * scan (failed attempts at many addresses on one port), a flood (hundreds of unanswered packets at one
 * external address), a spam burst (SMTP to many external servers). Hosts act in step when they begin the
 * same activity (same kind and target) within {@code step_window}.
 *
 * <p>A host is a bot when its C&amp;C-like session is alike another host's and the two acted in step while
 * holding them; or when at least {@code min_strong_hosts} hosts hold alike sessions with one server and
 * the IRC content showed C&amp;C commands on it. A port alone, a session alone, an activity alone never.
 * Shared downloads are listed, never counted: a patch day makes a whole site fetch the same file in the
 * same minutes.
 */
public final class FlowBotnet implements Detector {
  static final String NOTE = "IRC::FlowBotnet";
  private static final int MAX_TARGETS = 4096;
  private static final int MAX_HOSTS = 256;
  private static final int MAX_UIDS = 16;

  /** A C&amp;C-like session as its latest record described it (concrete fields: checkpointed). */
  static final class Session {
    String host;
    String server;
    int port;
    String uid;
    String sensor;
    String source;
    long start;
    long duration;
    long origPkts;
    long origBytes;
    long respPkts;
    long respBytes;
    boolean open;

    Session() {}

    double minutes() {
      return Math.max(1e-9, duration / 60e6);
    }

    long end() {
      return start + duration;
    }
  }

  /** What a TLS handshake said of a session. */
  static final class Tls {
    String serverName;
    String version;
    boolean selfSigned;

    Tls() {}
  }

  /** One host's activity of one kind at one target (concrete fields: checkpointed). */
  static final class Act {
    String host;
    String kind;
    String target;
    long first;
    long last;
    long packets;
    long answered;
    TreeSet<String> targets = new TreeSet<>();
    TreeSet<String> uids = new TreeSet<>();
    boolean active;

    Act() {}
  }

  /** A bot's verdict waiting to be written (concrete fields: checkpointed). */
  static final class Pending {
    String cid;
    String route;
    long due;
    long at;
    TreeSet<String> peers = new TreeSet<>();
    TreeMap<String, String> peerSessions = new TreeMap<>();
    TreeSet<String> activities = new TreeSet<>();
    IrcHosts.Order order;

    Pending() {}
  }

  private final DetectorContext ctx;
  private final PortSet ircPorts;
  private final long minStay;
  private final double maxPacketsPerMinute;
  private final double maxBytesPerMinute;
  private final double alikeFactor;
  private final long stepWindow;
  private final long window;
  private final int scanMinTargets;
  private final long floodMinPackets;
  private final int spamMinServers;
  private final PortSet smtpPorts;
  private final long downloadMinBytes;
  private final int minStrongHosts;
  private final Set<String> ignoreServices;
  private final SnTn.Rule snTn;

  /** Community id to session. */
  private final Cache<String, Session> sessions;
  /** Host to its sessions' community ids; "server|port" to the sessions on it. */
  private final Cache<String, TreeSet<String>> byHost;
  private final Cache<String, TreeSet<String>> byServer;
  /** Community id to the TLS handshake's facts; to the client packets of irc_pkt.log. */
  private final Cache<String, Tls> tls;
  private final Cache<String, SnTn.Sums> packets;
  /** The addresses and ports the content showed IRC on (Addresses.key(ip, port)). */
  private final org.bottrace.state.CompactTable<Void> ircSeen;
  /** The same as a cache of "ip|port" ({@code state.compact: false}), else null. */
  private final Cache<String, Long> ircSeenCache;
  private static final long IRC_SEEN_IDLE = Duration.ofDays(1).toNanos() / 1000;
  /** "host|kind|target" to the activity; "kind|target" to the hosts that began it and when. */
  private final Cache<String, Act> acts;
  private final Cache<String, TreeMap<String, Long>> actives;
  /** Host to its active activities ("kind|target"). */
  private final Cache<String, TreeSet<String>> hostActs;
  /** "bot|server|port" to what was reported of it (peers and activities). */
  private final Cache<String, TreeSet<String>> reported;
  /** "bot|server|port" to a verdict waiting report_delay for the records that come with it. */
  private final Cache<String, Pending> pending;
  private final long reportDelay;
  private final Prevalence site;
  private final IrcHosts orders;

  FlowBotnet(DetectorContext ctx, ConfigNode c) throws ConfigException {
    this.ctx = ctx;
    this.ircPorts = c.ports("irc_ports", List.of("6660-6669", "6697", "7000"));
    this.minStay = c.positiveDuration("min_stay", Duration.ofMinutes(10)).toNanos() / 1000;
    this.maxPacketsPerMinute = c.number("max_packets_per_minute", 20, 0, 1e9);
    this.maxBytesPerMinute = c.number("max_bytes_per_minute", 4096, 0, 1e12);
    this.alikeFactor = c.number("alike_factor", 2, 1, 1000);
    this.stepWindow = c.positiveDuration("step_window", Duration.ofMinutes(10)).toNanos() / 1000;
    Duration keep = c.positiveDuration("window", Duration.ofHours(2));
    this.window = keep.toNanos() / 1000;
    this.scanMinTargets = (int) c.integer("scan_min_targets", 20, 2, MAX_TARGETS);
    this.floodMinPackets = c.integer("flood_min_packets", 200, 10, 1_000_000_000);
    this.spamMinServers = (int) c.integer("spam_min_servers", 10, 2, MAX_TARGETS);
    this.smtpPorts = c.ports("smtp_ports", List.of("25", "465", "587"));
    this.downloadMinBytes = c.integer("download_min_bytes", 20_000, 1, Long.MAX_VALUE);
    this.minStrongHosts = (int) c.integer("min_strong_hosts", 3, 2, 1_000_000);
    this.ignoreServices = Set.copyOf(c.strings("ignore_services",
        List.of("dns", "ntp", "dhcp", "snmp", "syslog", "netbios", "mdns", "ssdp", "krb")));
    this.snTn = new SnTn.Rule(c.child("sn_tn"), 40);
    long max = c.integer("max_sessions", 0, 0, 100_000_000);
    this.sessions = ctx.cache("flowbot.sessions", max, keep, null, StateStore.Codec.of(String.class, Session.class));
    StateStore.Codec sets = StateStore.Codec.of(new TypeReference<String>() {}, new TypeReference<TreeSet<String>>() {});
    this.byHost = ctx.cache("flowbot.by_host", max, keep, null, sets);
    this.byServer = ctx.cache("flowbot.by_server", max, keep, null, sets);
    this.tls = ctx.cache("flowbot.tls", max, keep, null, StateStore.Codec.of(String.class, Tls.class));
    this.packets = ctx.cache("flowbot.packets", max, keep, null, StateStore.Codec.of(String.class, SnTn.Sums.class));
    this.ircSeen = ctx.compactState() ? ctx.table("flowbot.irc_seen", max, Duration.ofDays(1), Void.class) : null;
    this.ircSeenCache = ctx.compactState() ? null : ctx.cache("flowbot.irc_seen", max, Duration.ofDays(1), null,
        StateStore.Codec.of(String.class, Long.class));
    this.acts = ctx.cache("flowbot.activities", max, keep, null, StateStore.Codec.of(String.class, Act.class));
    this.actives = ctx.cache("flowbot.in_step", max, keep, null,
        StateStore.Codec.of(new TypeReference<String>() {}, new TypeReference<TreeMap<String, Long>>() {}));
    this.hostActs = ctx.cache("flowbot.host_activities", max, keep, null, sets);
    this.reported = ctx.cache("flowbot.reported", max, Duration.ofDays(1), null, sets);
    this.reportDelay = c.duration("report_delay", Duration.ofSeconds(5)).toNanos() / 1000;
    this.pending = ctx.deadlineCache("flowbot.pending", max, p -> p.due, (k, p, cause) -> {
      if (p != null && cause != com.github.benmanes.caffeine.cache.RemovalCause.REPLACED) {
        write(p);
      }
    }, StateStore.Codec.of(String.class, Pending.class));
    this.site = Prevalence.of(ctx, "flowbot", max, keep, c);
    this.orders = new IrcHosts(ctx, "flowbot.irc_orders", max, keep);
  }

  @Override
  public void onEvent(Event e) {
    orders.onEvent(e);
    IrcFacts.Record r = IrcFacts.of(e);
    if (r != null) {
      if (r.makesSession()) {
        sawIrc(r.session().respH(), r.session().respP(), r.ts());
      }
      return;
    }
    if (e instanceof ConnEvent c) {
      String svc = c.service() == null ? "" : c.service().toLowerCase(Locale.ROOT);
      if (svc.contains("irc") && !svc.contains("irc-dcc")) {
        sawIrc(c.flow().respH(), c.flow().respP(), c.ts());
      }
      session(c, false);
      activity(c.flow(), c.ts(), svc, Math.max(0, c.origPkts()), Math.max(0, c.respPkts()), c.respBytes(),
          Flows.failed(c), c.uid());
    } else if (e instanceof OpenConnEvent o) {
      session(o.row(), true);
    } else if (e instanceof EveFlow f) {
      eveSession(f);
      String app = f.appProto() == null ? "" : f.appProto().toLowerCase(Locale.ROOT);
      activity(f.flow(), f.ts(), app, Math.max(0, f.pktsToServer()), Math.max(0, f.pktsToClient()),
          f.bytesToClient(), Flows.failed(f), f.flowRef());
    } else if (e instanceof TlsEvent t) {
      Tls x = new Tls();
      x.serverName = t.serverName();
      x.version = t.version();
      x.selfSigned = t.selfSigned();
      tls.put(t.communityId(), x);
      if (ircName(t.serverName())) {
        sawIrc(t.flow().respH(), t.flow().respP(), t.ts());
      }
    } else if (e instanceof IrcPktEvent p && p.isOrig()) {
      String cid = p.flow().communityId();
      SnTn.Sums s = packets.get(cid, k -> new SnTn.Sums());
      s.add(p.ts(), p.len(), p.gap() != Micros.UNSET && p.gap() >= 0 ? p.gap() : Long.MIN_VALUE);
      packets.put(cid, s);
    }
  }

  /** The content showed IRC on {@code ip}:{@code port}: kept a day after it last did or was asked about. */
  private void sawIrc(String ip, int port, long ts) {
    if (ircSeenCache != null) {
      if (ircSeenCache.getIfPresent(ip + "|" + port) == null) { // a read refreshes as a write does
        ircSeenCache.put(ip + "|" + port, ts);
      }
      return;
    }
    ircSeen.put(ircKey(ip, port), ircSeen.now() + IRC_SEEN_IDLE, 0, null);
  }

  private static long ircKey(String ip, int port) {
    return Addresses.key(ip, port);
  }

  /** Whether the content showed IRC on it within a day (asking keeps it a day longer, as a cache read). */
  private boolean ircSeen(String ip, int port) {
    if (ircSeenCache != null) {
      return ircSeenCache.getIfPresent(ip + "|" + port) != null;
    }
    return ircSeen.read(ircKey(ip, port), IRC_SEEN_IDLE) >= 0;
  }

  /** A name an IRC server would have: a label "irc" (irc.example.net, eu.irc.example, irc-2.example). */
  static boolean ircName(String name) {
    if (name == null) {
      return false;
    }
    // a label "irc", "irc-" followed by anything, or "irc" followed by digits (irc2.example.net)
    for (int from = 0, to; from < name.length(); from = to + 1) {
      to = name.indexOf('.', from);
      if (to < 0) {
        to = name.length();
      }
      if (to - from >= 3 && (name.charAt(from) | 0x20) == 'i' && (name.charAt(from + 1) | 0x20) == 'r'
          && (name.charAt(from + 2) | 0x20) == 'c' // ASCII letters only: no İ or ı folded into an i
          && (to - from == 3 || name.charAt(from + 3) == '-' || digits(name, from + 3, to))) {
        return true;
      }
    }
    return false;
  }

  private static boolean digits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) < '0' || s.charAt(i) > '9') {
        return false;
      }
    }
    return true;
  }

  private boolean outbound(FlowKey f) {
    return ctx.home().contains(f.origH()) && !ctx.home().contains(f.respH());
  }

  private void session(ConnEvent c, boolean open) {
    FlowKey f = c.flow();
    // shorter than min_stay: no session is made of it, and an earlier record of it was no longer
    if (!"tcp".equals(f.proto()) || c.duration() == Micros.UNSET || c.duration() < minStay || !outbound(f)) {
      return;
    }
    track(c.communityId(), f, c.uid(), "zeek", open ? "open" : "conn", c.ts(), c.duration(), c.origPkts(),
        c.origIpBytes(), c.respPkts(), c.respIpBytes(), open, c.availableAt());
  }

  private void eveSession(EveFlow f) {
    if (!"tcp".equals(f.flow().proto()) || f.end() - f.ts() < minStay || !outbound(f.flow())) {
      return;
    }
    String cid = f.communityIdField() != null ? f.communityIdField() : f.flow().communityId();
    track(cid, f.flow(), f.flowRef(), "suricata", "flow", f.ts(), f.end() - f.ts(), f.pktsToServer(),
        f.bytesToServer(), f.pktsToClient(), f.bytesToClient(), false, f.availableAt());
  }

  private void track(String cid, FlowKey f, String uid, String sensor, String source, long start, long duration,
      long origPkts, long origBytes, long respPkts, long respBytes, boolean open, long now) {
    if (cid == null || origPkts <= 0 || respPkts <= 0 || origBytes <= 0 || respBytes <= 0) {
      return;
    }
    Session s = sessions.getIfPresent(cid);
    if (s != null && (!s.sensor.equals(sensor) || duration < s.duration)) {
      return; // the other sensor's record of it (its counts are of another kind), or an older state
    }
    if (s == null) {
      if (duration < minStay) {
        return;
      }
      s = new Session();
      s.host = f.origH();
      s.server = f.respH();
      s.port = f.respP();
      s.sensor = sensor;
    }
    s.uid = uid;
    s.source = source;
    s.start = start;
    s.duration = duration;
    s.origPkts = origPkts;
    s.origBytes = origBytes;
    s.respPkts = respPkts;
    s.respBytes = respBytes;
    s.open = open;
    sessions.put(cid, s);
    index(byHost, s.host, cid);
    index(byServer, s.server + "|" + s.port, cid);
    if (candidate(cid, s)) {
      TreeSet<String> mine = hostActs.getIfPresent(s.host);
      if (mine != null) {
        for (String k : new ArrayList<>(mine)) {
          inStep(k, now);
        }
      }
      strong(s.server, s.port, now);
    }
  }

  private static void index(Cache<String, TreeSet<String>> c, String key, String cid) {
    TreeSet<String> set = c.get(key, k -> new TreeSet<>());
    if (!set.contains(cid) && set.size() < MAX_HOSTS * 4) {
      set.add(cid);
      c.put(key, set);
    }
  }

  /** Whether a session is C&amp;C-like: long, low-rate, to an IRC port or a server known to speak IRC. */
  private boolean candidate(String cid, Session s) {
    if (s.duration < minStay) {
      return false;
    }
    Tls t = tls.getIfPresent(cid);
    boolean irc = ircPorts.contains(s.port) || ircSeen(s.server, s.port)
        || t != null && ircName(t.serverName);
    return irc && s.origPkts / s.minutes() <= maxPacketsPerMinute && s.origBytes / s.minutes() <= maxBytesPerMinute;
  }

  private double[] figures(Session s) {
    double m = s.minutes();
    return new double[] {s.origPkts / m, (double) s.origBytes / s.origPkts, s.respPkts / m,
        (double) s.respBytes / s.respPkts};
  }

  private boolean alike(Session a, Session b) {
    double[] x = figures(a);
    double[] y = figures(b);
    double limit = Math.log(alikeFactor);
    for (int i = 0; i < x.length; i++) {
      if (x[i] <= 0 || y[i] <= 0 || Math.abs(Math.log(x[i] / y[i])) > limit) {
        return false;
      }
    }
    return true;
  }

  /** The host's C&amp;C-like sessions that had begun by {@code at} and were still open then (or later). */
  private List<Map.Entry<String, Session>> holding(String host, long at) {
    List<Map.Entry<String, Session>> out = new ArrayList<>();
    TreeSet<String> cids = byHost.getIfPresent(host);
    if (cids == null) {
      return out;
    }
    for (String cid : cids) {
      Session s = sessions.getIfPresent(cid);
      if (s != null && candidate(cid, s) && s.start <= at && (s.open || s.end() >= at)) {
        out.add(Map.entry(cid, s));
      }
    }
    return out;
  }

  // ---------------------------------------------------------------- A-plane

  private static boolean groupAddress(String ip) {
    long v4 = Addresses.ipv4(ip);
    if (v4 >= 0) { // multicast, class E, or the broadcast address
      return v4 >>> 24 >= 224 || v4 == 0xffffffffL;
    }
    byte[] b = Addresses.parse(ip);
    if (b == null) {
      return true;
    }
    if (b.length == 4) {
      int first = b[0] & 0xff;
      return first >= 224 || (b[0] & b[1] & b[2] & b[3]) == (byte) 0xff;
    }
    return (b[0] & 0xff) == 0xff;
  }

  /** A finished connection as an activity of its internal originator. */
  private void activity(FlowKey f, long ts, String service, long origPkts, long respPkts, long respBytes,
      boolean failed, String uid) {
    if (!ctx.home().contains(f.origH()) || f.origH().equals(f.respH())) {
      return;
    }
    for (int from = 0, to; from <= service.length(); from = to + 1) { // each of "a,b" without splitting
      to = service.indexOf(',', from);
      if (to < 0) {
        to = service.length();
      }
      if (ignoreServices.contains(service.substring(from, to))) {
        return;
      }
    }
    boolean external = !ctx.home().contains(f.respH());
    long answered = failed ? 0 : respPkts; // an ICMP error back (Suricata counts it in the flow) is no answer
    if (external) {
      site.call(f.origH(), f.respH(), f.respP());
    }
    if (failed && ("tcp".equals(f.proto()) || "udp".equals(f.proto())) && !groupAddress(f.respH())) {
      act(f.origH(), "scan", f.respP() + "/" + f.proto(), ts, origPkts, answered, f.respH(), uid);
    }
    if (external && !groupAddress(f.respH()) && answered * 10 <= origPkts + 9
        && ("udp".equals(f.proto()) || "icmp".equals(f.proto()) || failed)) {
      act(f.origH(), "flood", f.proto() + " " + f.respH(), ts, origPkts, answered, f.respH(), uid);
    }
    if (external && "tcp".equals(f.proto()) && smtpPorts.contains(f.respP()) && !failed) {
      act(f.origH(), "spam", "smtp", ts, origPkts, respPkts, f.respH(), uid);
    }
    if (external && "tcp".equals(f.proto()) && respBytes >= downloadMinBytes
        && (service.contains("http") || service.contains("ftp") || f.respP() == 80 || f.respP() == 8080)) {
      act(f.origH(), "download", f.respH() + ":" + f.respP(), ts, origPkts, respPkts, f.respH(), uid);
    }
  }

  private void act(String host, String kind, String target, long ts, long origPkts, long respPkts, String peer,
      String uid) {
    String key = host + "|" + kind + "|" + target;
    Act a = acts.getIfPresent(key);
    if (a == null) {
      a = new Act();
      a.host = host;
      a.kind = kind;
      a.target = target;
      a.first = ts;
    }
    a.first = Math.min(a.first, ts);
    a.last = Math.max(a.last, ts);
    a.packets += origPkts;
    a.answered += respPkts;
    if (a.targets.size() < MAX_TARGETS) {
      a.targets.add(peer);
    }
    if (uid != null && a.uids.size() < MAX_UIDS) {
      a.uids.add(uid);
    }
    boolean was = a.active;
    a.active = switch (kind) {
      case "scan" -> a.targets.size() >= scanMinTargets;
      case "flood" -> a.packets >= floodMinPackets && a.answered * 10 <= a.packets;
      case "spam" -> a.targets.size() >= spamMinServers;
      default -> true;
    };
    acts.put(key, a);
    if (a.active && !was) {
      String k = kind + "|" + target;
      TreeMap<String, Long> who = actives.get(k, x -> new TreeMap<>());
      if (who.size() < MAX_HOSTS) {
        who.put(host, a.first);
        actives.put(k, who);
      }
      TreeSet<String> mine = hostActs.get(host, x -> new TreeSet<>());
      mine.add(k);
      hostActs.put(host, mine);
      if (!kind.equals("download")) {
        inStep(k, ts);
      }
    }
  }

  // ---------------------------------------------------------------- verdicts

  /** One bot's verdict being put together: its session, its peers in step, the activities. */
  private static final class Bot {
    final String cid;
    final Session session;
    final TreeSet<String> peers = new TreeSet<>();
    final TreeSet<String> activities = new TreeSet<>();
    final TreeMap<String, String> peerSessions = new TreeMap<>();

    Bot(String cid, Session session) {
      this.cid = cid;
      this.session = session;
    }
  }

  /** The hosts that began activity {@code k} within the step window of each other, holding alike sessions. */
  private void inStep(String k, long now) {
    if (k.startsWith("download|")) {
      return;
    }
    TreeMap<String, Long> who = actives.getIfPresent(k);
    if (who == null || who.size() < 2) {
      return;
    }
    Map<String, Bot> bots = new TreeMap<>();
    List<Map.Entry<String, Long>> hosts = new ArrayList<>(who.entrySet());
    for (int i = 0; i < hosts.size(); i++) {
      for (int j = i + 1; j < hosts.size(); j++) {
        Map.Entry<String, Long> h = hosts.get(i);
        Map.Entry<String, Long> g = hosts.get(j);
        if (Math.abs(h.getValue() - g.getValue()) > stepWindow) {
          continue;
        }
        for (Map.Entry<String, Session> a : holding(h.getKey(), h.getValue())) {
          for (Map.Entry<String, Session> b : holding(g.getKey(), g.getValue())) {
            if (alike(a.getValue(), b.getValue())) {
              pair(bots, a, b, k);
              pair(bots, b, a, k);
            }
          }
        }
      }
    }
    for (Bot b : bots.values()) {
      report(b, "in_step", null, now);
    }
  }

  private static void pair(Map<String, Bot> bots, Map.Entry<String, Session> a, Map.Entry<String, Session> b, String k) {
    Bot bot = bots.computeIfAbsent(a.getKey(), x -> new Bot(a.getKey(), a.getValue()));
    bot.peers.add(b.getValue().host);
    bot.peerSessions.put(b.getValue().host, b.getValue().server + ":" + b.getValue().port);
    bot.activities.add(k);
  }

  /** At least min_strong_hosts hosts alike on one server that the content showed C&amp;C commands on. */
  private void strong(String server, int port, long now) {
    TreeSet<String> cids = byServer.getIfPresent(server + "|" + port);
    if (cids == null || cids.size() < minStrongHosts) {
      return;
    }
    List<Map.Entry<String, Session>> cands = new ArrayList<>();
    for (String cid : cids) {
      Session s = sessions.getIfPresent(cid);
      if (s != null && candidate(cid, s)) {
        cands.add(Map.entry(cid, s));
      }
    }
    IrcHosts.Order order = null;
    for (Map.Entry<String, Session> c : cands) {
      IrcHosts.Order o = orders.order(c.getValue().host, now, window, x -> x.server().startsWith(server + ":"));
      if (o != null && o.server().startsWith(server + ":") && (order == null || o.ts() < order.ts())) {
        order = o;
      }
    }
    if (order == null) {
      return;
    }
    for (Map.Entry<String, Session> leader : cands) {
      Map<String, Bot> group = new TreeMap<>();
      for (Map.Entry<String, Session> c : cands) {
        if (alike(leader.getValue(), c.getValue())) {
          group.put(c.getKey(), new Bot(c.getKey(), c.getValue()));
        }
      }
      TreeSet<String> hosts = new TreeSet<>();
      group.values().forEach(b -> hosts.add(b.session.host));
      if (hosts.size() >= minStrongHosts) {
        for (Bot b : group.values()) {
          for (Bot p : group.values()) {
            if (!p.session.host.equals(b.session.host)) {
              b.peers.add(p.session.host);
              b.peerSessions.put(p.session.host, p.session.server + ":" + p.session.port);
            }
          }
          report(b, "content", order, now);
        }
        return;
      }
    }
  }

  @Override
  public void onEnd() {
    pending.invalidateAll();
  }

  /**
   * A bot's verdict: written {@code report_delay} later (the records of a burst, such as every session's
   * row at once, make one notice per bot), and again only when it has a peer or activity not written yet.
   */
  private void report(Bot b, String route, IrcHosts.Order order, long now) {
    Session s = b.session;
    String key = s.host + "|" + s.server + "|" + s.port;
    TreeSet<String> known = reported.getIfPresent(key);
    Pending p = pending.getIfPresent(key);
    boolean fresh = p == null;
    if (fresh) {
      p = new Pending();
      p.cid = b.cid;
      p.due = now + reportDelay;
    }
    boolean changed = fresh && (known == null || !known.contains("route:" + route));
    for (String x : b.peers) {
      changed |= p.peers.add(x) && (known == null || !known.contains("peer:" + x));
    }
    for (String x : b.activities) {
      changed |= p.activities.add(x) && (known == null || !known.contains("activity:" + x));
    }
    p.peerSessions.putAll(b.peerSessions);
    if (p.route == null || route.equals("in_step")) {
      p.route = route;
    }
    if (order != null) {
      p.order = order;
    }
    p.at = Math.max(p.at, now);
    if (fresh && !changed) {
      return;
    }
    pending.put(key, p);
  }

  private void write(Pending p) {
    Session s = sessions.getIfPresent(p.cid);
    if (s == null) {
      return;
    }
    String route = p.route;
    IrcHosts.Order order = p.order;
    long now = p.at;
    Bot b = new Bot(p.cid, s);
    b.peers.addAll(p.peers);
    b.activities.addAll(p.activities);
    b.peerSessions.putAll(p.peerSessions);
    String key = s.host + "|" + s.server + "|" + s.port;
    TreeSet<String> known = reported.get(key, k -> new TreeSet<>());
    TreeSet<String> facts = new TreeSet<>();
    b.peers.forEach(x -> facts.add("peer:" + x));
    b.activities.forEach(a -> facts.add("activity:" + a));
    facts.add("route:" + route);
    if (known.containsAll(facts)) {
      return;
    }
    known.addAll(facts);
    reported.put(key, known);
    Tls t = tls.getIfPresent(b.cid);
    boolean encrypted = t != null || s.port == 6697;
    SnTn.Sums sums = packets.getIfPresent(b.cid);
    Map<String, Object> snTnFigures = sums == null ? null : snTn.botLike(sums);
    double[] fig = figures(s);
    List<Map<String, Object>> activities = new ArrayList<>();
    TreeSet<String> uids = new TreeSet<>();
    List<String> kinds = new ArrayList<>();
    for (String k : known) {
      if (!k.startsWith("activity:")) {
        continue;
      }
      String[] kt = k.substring(9).split("\\|", 2);
      TreeMap<String, Long> who = actives.getIfPresent(kt[0] + "|" + kt[1]);
      Act mine = acts.getIfPresent(s.host + "|" + kt[0] + "|" + kt[1]);
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("kind", kt[0]);
      m.put("target", kt[1]);
      m.put("hosts", who == null ? List.of(s.host) : List.copyOf(who.keySet()));
      if (mine != null) {
        m.put("first_seen", Micros.formatEpoch(mine.first));
        m.put("last_seen", Micros.formatEpoch(mine.last));
        m.put("packets", mine.packets);
        m.put("addresses", mine.targets.size());
        uids.addAll(mine.uids);
      }
      activities.add(m);
      kinds.add(kt[0] + " " + kt[1]);
    }
    List<String> peers = new ArrayList<>();
    for (String k : known) {
      if (k.startsWith("peer:")) {
        peers.add(k.substring(5));
      }
    }
    List<Map<String, Object>> downloads = new ArrayList<>();
    TreeSet<String> mine = hostActs.getIfPresent(s.host);
    if (mine != null) {
      for (String k : mine) {
        if (k.startsWith("download|")) {
          TreeMap<String, Long> who = actives.getIfPresent(k);
          String[] hp = k.substring(9).split(":");
          int port = Integer.parseInt(hp[hp.length - 1]);
          String ip = k.substring(9, k.length() - hp[hp.length - 1].length() - 1);
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("server", k.substring(9));
          m.put("hosts", who == null ? List.of(s.host) : List.copyOf(who.keySet()));
          m.put("site_share", Math.round(site.share(ip, port) * 1000) / 1000.0);
          m.put("site_infrastructure", site.infrastructure(ip, port));
          downloads.add(m);
        }
      }
    }
    Map<String, Object> session = new LinkedHashMap<>();
    session.put("uid", s.uid);
    session.put("start", Micros.formatEpoch(s.start));
    session.put("duration_s", Math.round(s.duration / 1e6));
    session.put("open", s.open);
    session.put("source", s.sensor + " " + s.source);
    session.put("client_packets_per_minute", r3(fig[0]));
    session.put("client_bytes_per_packet", r3(fig[1]));
    session.put("server_packets_per_minute", r3(fig[2]));
    session.put("server_bytes_per_packet", r3(fig[3]));
    Map<String, Object> tlsEv = null;
    if (t != null) {
      tlsEv = new LinkedHashMap<>();
      tlsEv.put("server_name", t.serverName);
      tlsEv.put("version", t.version);
      tlsEv.put("self_signed", t.selfSigned);
      tlsEv.values().removeIf(v -> v == null);
    }
    String what = route.equals("content") ? String.format(Locale.ROOT,
        "%d hosts hold alike sessions with it and the IRC content showed %s", peers.size() + 1, order.describe())
        : "acted in step with " + String.join(", ", peers) + ": " + String.join("; ", kinds);
    String msg = String.format(Locale.ROOT, "%s held a %s session with %s:%d for %.0f min%s, %.1f packets a minute;"
        + " %s", s.host, encrypted ? "TLS" : "long", s.server, s.port, s.duration / 60e6, s.open ? " (still open)" : "",
        fig[0], what);
    uids.add(s.uid);
    Finding.Builder f = Finding.builder(NOTE, now)
        .rated(Finding.Severity.HIGH, route.equals("content") ? 0.75
            : Finding.agreeing(1 + activities.size() + (snTnFigures == null ? 0 : 1)))
        .msg(msg)
        .sub(s.server + ":" + s.port)
        .conn(s.uid, new FlowKey(s.host, 0, s.server, s.port, "tcp"))
        .uids(uids)
        .src(s.host)
        .dst(s.server)
        .server(s.server, Finding.Role.CC)
        .stage(Finding.Stage.CC_CONTACT)
        .port(s.port)
        .name(t == null ? null : t.serverName)
        .key(key)
        .window(s.start / 1_000_000L * 1_000_000L)
        .evidence("bot", s.host)
        .evidence("server", s.server)
        .firstSeen(s.start)
        .evidence("route", route)
        .evidence("encrypted", encrypted)
        .evidence("session", session)
        .evidence("tls", tlsEv)
        .evidence("sn_tn", snTnFigures)
        .evidence("peers_in_step", peers)
        .evidence("peer_sessions", Finding.pairs(b.peerSessions, "ip", "server"))
        .evidence("activities", activities.isEmpty() ? null : activities)
        .evidence("downloads", downloads.isEmpty() ? null : downloads)
        .evidence("ordered_by", order == null ? null : order.evidence(s.start))
        .facts(known)
        .ownIdsOnly();
    ctx.emit(f.build());
  }

  private static double r3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** Registers {@code IRC::FlowBotnet}. */
  public static final class Factory extends org.bottrace.detect.NamedFactory {
    public Factory() {
      super(NOTE, "internal hosts holding alike long sessions to IRC servers (in clear, over TLS or seen as flows"
          + " only) that act in step: scan, flood, spam (the network anomalies of Detecting IRC botnets, BotMiner's C and A planes)",
          (c, context) -> new FlowBotnet(context, c));
    }
  }
}
