package org.bottrace.detect.irc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What bottrace has seen of one IRC server (address and port): its client sessions with their lines,
 * joins and packets. Kept in a checkpointed cache, so its fields are plain and concrete.
 *
 * <p>Everything is kept with the event time it was seen at, and the mechanisms look at
 * {@link #asOf(long)}: the server as it was at an evaluation time. What a detector says then depends on
 * the logs only, not on how far each log had been read when the evaluation ran, so that a live run,
 * a restarted one and a replay write the same notices.
 */
final class IrcServer {
  /** Most packets kept one by one per session; older ones are summed (they are older than any kept). */
  static final int MAX_PACKETS = 512;

  String ip;
  int port;
  long first;
  long last;
  /** Evaluation times due: for each record, the first multiple of the evaluation interval at or after it. */
  TreeSet<Long> due = new TreeSet<>();
  /** Sessions by community id. */
  LinkedHashMap<String, Client> clients = new LinkedHashMap<>();
  /** Per note and subject, the facts of the findings emitted and when the last repeat began. */
  TreeMap<String, Emitted> emitted = new TreeMap<>();
  /** Source to the time it first gave a record. */
  TreeMap<String, Long> sources = new TreeMap<>();
  /**
   * What the server told its clients of its users (visible, invisible, total, servers), the first few of
   * each; as of a time, the latest then.
   */
  TreeMap<String, ArrayList<Stamp>> users = new TreeMap<>();
  /**
   * Channel to the client hosts seen joining it so far (IRC::ControlSession's channel_clients_seen),
   * including sessions since forgotten; at most max_clients channels and hosts a channel.
   */
  TreeMap<String, TreeSet<String>> channelHosts = new TreeMap<>();

  /** Notes that {@code host} joined {@code channel}; false when a bound kept it out. */
  boolean member(String channel, String host, int max) {
    TreeSet<String> hosts = channelHosts.get(channel);
    if (hosts == null) {
      if (channelHosts.size() >= max) {
        return false;
      }
      hosts = new TreeSet<>();
      channelHosts.put(channel, hosts);
    }
    if (hosts.size() < max) {
      hosts.add(host);
      return true;
    }
    return hosts.contains(host);
  }

  IrcServer() {}

  IrcServer(String ip, int port, long ts) {
    this.ip = ip;
    this.port = port;
    this.first = ts;
    this.last = ts;
  }

  /** A channel line: its time, channel (null when the source does not say) and who sent it. */
  record Line(long ts, String channel, String from) {}

  /** What was said about a subject: every fact since {@code ts}, when it was last said afresh. */
  record Emitted(TreeSet<String> facts, long ts) {}

  /** A value seen at a time. */
  record Stamp(long ts, String value) {}

  /**
   * A C&amp;C command the client received: in a topic (332 or TOPIC), in a line of another member of its
   * channel, or privately (channel null). {@code from} is who sent it, as the server named it, or null.
   */
  record Heard(long ts, String channel, String from, String command, boolean strong, boolean topic, long sid) {
    /** A command read from a line ({@code sid} is then -1). */
    Heard(long ts, String channel, String from, String command, boolean strong, boolean topic) {
      this(ts, channel, from, command, strong, topic, -1);
    }
  }

  /**
   * One of the client's own lines that starts with a bot family's report tag, or that bottrace's rule
   * {@code sid} (then {@code tag} is the rule's message) called a report.
   */
  record Report(long ts, String channel, String tag, long sid) {
    Report(long ts, String channel, String tag) {
      this(ts, channel, tag, -1);
    }
  }

  /**
   * A NAMES reply (353) the client received: how many members, the first of their nicks, and those the
   * reply marked as channel operators ({@code @}; Zeek strips the mark, Suricata's ftp events keep it).
   */
  record Names(long ts, int count, java.util.List<String> nicks, java.util.List<String> operators) {}

  /** A DCC offer the client made: file, size (-1: not said), MIME type by Zeek, and to whom. */
  record Dcc(long ts, String file, long size, String mime, String target) {
    /** The file as the mechanisms see it: a program sent under another name ends in " (mime).exe". */
    String program() {
      String f = file == null ? "" : file;
      boolean exe = mime != null && mime.contains("dosexec");
      return exe && !f.toLowerCase(java.util.Locale.ROOT).endsWith(".exe") ? f + " (" + mime + ").exe" : f;
    }
  }

  /** One payload packet: time, size, gap since the previous one the same way (or {@link Long#MIN_VALUE}). */
  record Pkt(long ts, long len, long gap) {}

  /**
   * Records a value seen at {@code ts} when it differs from the one recorded last, up to {@code max}
   * changes: the value as of a time is then {@link #latest} of them, the same however far the logs
   * had been read.
   */
  static void changed(List<Stamp> l, long ts, String value, int max) {
    if (l.size() < max && (l.isEmpty() || !l.get(l.size() - 1).value().equals(value))) {
      l.add(new Stamp(ts, value));
    }
  }

  /** The latest item stamped at or before {@code t}, or null. */
  static <T> T latest(List<T> l, long t, java.util.function.ToLongFunction<T> ts) {
    T out = null;
    for (T x : l) {
      if (ts.applyAsLong(x) <= t && (out == null || ts.applyAsLong(x) >= ts.applyAsLong(out))) {
        out = x;
      }
    }
    return out;
  }

  /** The server as seen up to event time {@code t}. */
  IrcServer asOf(long t) {
    IrcServer s = new IrcServer(ip, port, first);
    for (Map.Entry<String, Long> e : sources.entrySet()) {
      if (e.getValue() <= t) {
        s.sources.put(e.getKey(), e.getValue());
      }
    }
    for (Map.Entry<String, ArrayList<Stamp>> u : users.entrySet()) {
      Stamp latest = latest(u.getValue(), t, Stamp::ts);
      if (latest != null) {
        s.users.put(u.getKey(), new ArrayList<>(List.of(latest)));
      }
    }
    for (Map.Entry<String, Client> e : clients.entrySet()) {
      if (e.getValue().knownAt <= t) {
        s.clients.put(e.getKey(), e.getValue().asOf(t));
      }
    }
    // first and last from the sessions as of t, not from whatever had been read
    s.first = Long.MAX_VALUE;
    s.last = Long.MIN_VALUE;
    for (Client c : s.clients.values()) {
      s.first = Math.min(s.first, c.first);
      s.last = Math.max(s.last, c.last);
    }
    if (s.clients.isEmpty()) {
      s.first = first;
      s.last = first;
    }
    return s;
  }

  /**
   * One client session (one TCP connection). The stamped fields are what is kept; the plain ones below
   * them are filled by {@link #asOf} for the mechanisms.
   */
  static final class Client {
    String host;
    int port;
    /** The first Zeek uid seen, and when. */
    String zeekUid;
    long zeekUidAt = Long.MAX_VALUE;
    /** Every uid and flow id of the session, with when each was first seen. */
    LinkedHashMap<String, Long> uidAt = new LinkedHashMap<>();
    /** First and last IRC record (conn and flow records do not move them). */
    long first;
    long last;
    /** When the session became known (the availability of its first record). */
    long knownAt;
    /** Whether an IRC record (not only a conn row or an alert) has been seen. */
    boolean ircSeen;
    /** Connection duration from conn.log or an EVE flow (microseconds), or -1, and when it became known. */
    long duration = -1;
    long durationAt = Long.MAX_VALUE;
    LinkedHashMap<String, Long> nickAt = new LinkedHashMap<>();
    long userAt = Long.MAX_VALUE;
    String ident;
    String userMode;
    String realname;
    /** The USER line's arguments after the user name, as Zeek's irc.log gives them. */
    String userArgs;
    /** Channel to the time of its first join. */
    LinkedHashMap<String, Long> joins = new LinkedHashMap<>();
    LinkedHashMap<String, String> keys = new LinkedHashMap<>();
    LinkedHashMap<String, Long> parts = new LinkedHashMap<>();
    /** Channel to when the server relayed a MODE change of it by this client (operator rights). */
    TreeMap<String, Long> modeAt = new TreeMap<>();
    long passAt = Long.MAX_VALUE;
    /** First record of this session in irc_cmd.log and in irc_pkt.log. */
    long cmdAt = Long.MAX_VALUE;
    long pktAt = Long.MAX_VALUE;
    /** Its own channel lines from irc_cmd.log. */
    ArrayList<Line> lines = new ArrayList<>();
    /** Times of its PRIVMSG packets from Suricata alerts (no channel), used when irc_cmd.log is absent. */
    ArrayList<Long> eveLines = new ArrayList<>();
    /** Channel lines of other members delivered to it (irc_cmd.log, server side). */
    ArrayList<Line> delivered = new ArrayList<>();
    /** C&amp;C commands it received, and its own lines that are reports. */
    ArrayList<Heard> heard = new ArrayList<>();
    ArrayList<Report> reports = new ArrayList<>();
    /** Its own lines that are C&amp;C commands (what a herder sends). */
    ArrayList<Heard> sent = new ArrayList<>();
    /** Channel to the joins of other members the server relayed to it: nick to its earliest join. */
    TreeMap<String, TreeMap<String, Long>> seenJoins = new TreeMap<>();
    /** Channel to the channel errors the server sent it (their codes, each the first time), stamped. */
    TreeMap<String, ArrayList<Stamp>> errors = new TreeMap<>();
    /** Channel to the mode changes and mode replies the server sent it (the first few), stamped. */
    TreeMap<String, ArrayList<Stamp>> modes = new TreeMap<>();
    /** What bottrace's Suricata rules saw of its registration, port and DCC offers (evidence names), stamped. */
    ArrayList<Stamp> ruleSigns = new ArrayList<>();
    /** Channel to the NAMES replies it received (the first few); as of a time, the latest one then. */
    TreeMap<String, ArrayList<Names>> names = new TreeMap<>();
    /** Its packets to the server (irc_pkt.log), the latest {@link #MAX_PACKETS}. */
    ArrayList<Pkt> packets = new ArrayList<>();
    ArrayList<Dcc> dccs = new ArrayList<>();
    /** The control commands it sent (document 000's filter, or every command in irc.log), each first seen when. */
    TreeMap<String, Long> commandAt = new TreeMap<>();
    /** The server's name as its welcome gave it, and when. */
    String serverName;
    long serverNameAt = Long.MAX_VALUE;
    /** Which logs gave its IRC records, each first when. */
    TreeMap<String, Long> sourceAt = new TreeMap<>();
    /** "sid|severity|category|signature" of each alert on the session, with its time. */
    ArrayList<Stamp> alertAt = new ArrayList<>();
    String service;
    long serviceAt = Long.MAX_VALUE;
    // Sn/Tn of the packets no longer kept one by one (all older than the kept ones), and, in a
    // session as of a time, of every packet up to then
    SnTn.Sums totals = new SnTn.Sums();

    // filled by asOf for the mechanisms
    TreeSet<String> uids = new TreeSet<>();
    LinkedHashSet<String> nicks = new LinkedHashSet<>();
    TreeSet<String> modeChannels = new TreeSet<>();
    Boolean pass;
    boolean cmdLog;
    boolean pktLog;
    ArrayList<String> dcc = new ArrayList<>();
    TreeSet<String> commands = new TreeSet<>();
    TreeSet<String> logs = new TreeSet<>();
    TreeMap<String, Integer> alerts = new TreeMap<>();
    TreeSet<String> ruleSignNames = new TreeSet<>();

    Client() {}

    Client(String host, int port, long ts) {
      this.host = host;
      this.port = port;
      this.first = ts;
      this.last = ts;
      this.knownAt = ts;
    }

    /** Its first nick: the earliest seen (ties by name), or null. */
    String nick() {
      String best = null;
      long at = Long.MAX_VALUE;
      for (Map.Entry<String, Long> n : nickAt.entrySet()) {
        if (nicks.contains(n.getKey()) && (n.getValue() < at || n.getValue() == at && n.getKey().compareTo(best) < 0)) {
          best = n.getKey();
          at = n.getValue();
        }
      }
      return best != null ? best : nicks.isEmpty() ? null : nicks.iterator().next();
    }

    /** The latest IRC record of this (filtered) session, not after {@code t}. */
    private long latest(long t) {
      long l = first;
      for (long v : nickAt.values()) {
        l = v <= t ? Math.max(l, v) : l;
      }
      for (long v : joins.values()) {
        l = Math.max(l, v);
      }
      for (long v : parts.values()) {
        l = Math.max(l, v);
      }
      if (userAt <= t) {
        l = Math.max(l, userAt);
      }
      for (Line x : lines) {
        l = Math.max(l, x.ts());
      }
      for (Line x : delivered) {
        l = Math.max(l, x.ts());
      }
      for (long x : eveLines) {
        l = Math.max(l, x);
      }
      for (Heard h : heard) {
        l = Math.max(l, h.ts());
      }
      for (Report r : reports) {
        l = Math.max(l, r.ts());
      }
      return Math.max(l, totals.last);
    }

    /** Its client packets' sums for the Sn/Tn rule (of a session as of a time: every packet up to then). */
    SnTn.Sums sums() {
      return totals.copy();
    }

    /** Adds a packet, summing the oldest kept one into the totals when the list is full. */
    void packet(long ts, long len, long gap) {
      if (totals.first == Long.MIN_VALUE && packets.isEmpty()) {
        totals.first = ts;
      }
      if (packets.size() >= MAX_PACKETS) {
        Pkt old = packets.remove(0);
        totals.add(old.ts(), old.len(), old.gap());
      }
      packets.add(new Pkt(ts, len, gap));
    }

    /** Adds the items of {@code from} stamped at or before {@code t} to {@code to}. */
    private static <T> void upTo(List<T> from, List<T> to, long t, java.util.function.ToLongFunction<T> ts) {
      for (T x : from) {
        if (ts.applyAsLong(x) <= t) {
          to.add(x);
        }
      }
    }

    /** This session as seen up to event time {@code t}. */
    Client asOf(long t) {
      Client c = new Client(host, port, first);
      c.knownAt = knownAt;
      if (zeekUidAt <= t) {
        c.zeekUid = zeekUid;
      }
      for (Map.Entry<String, Long> u : uidAt.entrySet()) {
        if (u.getValue() <= t) {
          c.uids.add(u.getKey());
        }
      }
      if (durationAt <= t) {
        c.duration = duration;
      }
      for (Map.Entry<String, Long> n : nickAt.entrySet()) {
        if (n.getValue() <= t) {
          c.nicks.add(n.getKey());
          c.nickAt.put(n.getKey(), n.getValue());
        }
      }
      if (userAt <= t) {
        c.userAt = userAt;
        c.ident = ident;
        c.userMode = userMode;
        c.realname = realname;
        c.userArgs = userArgs;
      }
      for (Map.Entry<String, Long> j : joins.entrySet()) {
        if (j.getValue() <= t) {
          c.joins.put(j.getKey(), j.getValue());
          if (keys.get(j.getKey()) != null) {
            c.keys.put(j.getKey(), keys.get(j.getKey()));
          }
        }
      }
      for (Map.Entry<String, Long> p : parts.entrySet()) {
        if (p.getValue() <= t) {
          c.parts.put(p.getKey(), p.getValue());
        }
      }
      for (Map.Entry<String, Long> m : modeAt.entrySet()) {
        if (m.getValue() <= t) {
          c.modeChannels.add(m.getKey());
        }
      }
      c.cmdLog = cmdAt <= t;
      c.pktLog = pktAt <= t;
      c.pass = passAt <= t ? Boolean.TRUE : c.cmdLog ? Boolean.FALSE : null;
      upTo(lines, c.lines, t, Line::ts);
      upTo(delivered, c.delivered, t, Line::ts);
      upTo(eveLines, c.eveLines, t, Long::longValue);
      upTo(heard, c.heard, t, Heard::ts);
      upTo(sent, c.sent, t, Heard::ts);
      upTo(reports, c.reports, t, Report::ts);
      for (Map.Entry<String, TreeMap<String, Long>> j : seenJoins.entrySet()) {
        TreeMap<String, Long> m = new TreeMap<>();
        for (Map.Entry<String, Long> n : j.getValue().entrySet()) {
          if (n.getValue() <= t) {
            m.put(n.getKey(), n.getValue());
          }
        }
        if (!m.isEmpty()) {
          c.seenJoins.put(j.getKey(), m);
        }
      }
      for (Map.Entry<String, ArrayList<Names>> n : names.entrySet()) {
        Names latest = IrcServer.latest(n.getValue(), t, Names::ts);
        if (latest != null) {
          c.names.put(n.getKey(), new ArrayList<>(List.of(latest)));
        }
      }
      for (Map.Entry<String, ArrayList<Stamp>> x : errors.entrySet()) {
        ArrayList<Stamp> l = new ArrayList<>();
        upTo(x.getValue(), l, t, Stamp::ts);
        if (!l.isEmpty()) {
          c.errors.put(x.getKey(), l);
        }
      }
      for (Map.Entry<String, ArrayList<Stamp>> m : modes.entrySet()) {
        Stamp latest = IrcServer.latest(m.getValue(), t, Stamp::ts);
        if (latest != null) {
          c.modes.put(m.getKey(), new ArrayList<>(List.of(latest)));
        }
      }
      c.totals = totals.copy();
      for (Pkt p : packets) {
        if (p.ts() <= t) {
          c.totals.add(p.ts(), p.len(), p.gap());
        }
      }
      upTo(dccs, c.dccs, t, Dcc::ts);
      for (Dcc d : c.dccs) {
        c.dcc.add(d.program());
      }
      for (Map.Entry<String, Long> x : commandAt.entrySet()) {
        if (x.getValue() <= t) {
          c.commands.add(x.getKey());
        }
      }
      for (Map.Entry<String, Long> x : sourceAt.entrySet()) {
        if (x.getValue() <= t) {
          c.logs.add(x.getKey());
        }
      }
      if (serverNameAt <= t) {
        c.serverName = serverName;
      }
      for (Stamp a : alertAt) {
        if (a.ts() <= t) {
          c.alerts.merge(a.value(), 1, Integer::sum);
        }
      }
      for (Stamp a : ruleSigns) {
        if (a.ts() <= t) {
          c.ruleSignNames.add(a.value());
        }
      }
      if (serviceAt <= t) {
        c.service = service;
      }
      c.last = c.latest(t);
      return c;
    }
  }
}
