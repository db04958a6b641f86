package org.bottrace.detect;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bottrace.config.ConfigException;
import org.bottrace.detect.irc.IrcFacts;
import org.bottrace.config.ConfigNode;
import org.bottrace.event.Event;
import org.bottrace.event.FlowKey;
import org.bottrace.event.Micros;
import com.fasterxml.jackson.core.type.TypeReference;
import org.bottrace.state.ChannelKey;
import org.bottrace.state.StateStore;

/**
 * {@code IRC::ControlSession}: one informational notice per IRC client session that used the control
 * commands of document 000's filter (USER, NICK, PASS, JOIN, MODE): client, server, port, nicks, the
 * USER line, channels and their keys, PASS when visible, DCC offers. Later detectors build on it.
 *
 * <p>Sources: Zeek irc.log (NICK, USER, JOIN and DCC rows) and, where Suricata took the IRC session for
 * FTP, the server's replies in EVE ftp events (the 001 welcome names the nick, the server's echo of a
 * JOIN names the channel); the client lines Suricata logs there are often mangled and are not used.
 * Both are joined by community id, so a session seen by both sensors gives one notice.
 *
 * <p>A session is reported when it has been quiet for {@code quiet} of log time (or at the end of a
 * replay). A later burst on the same connection is a new report, written again only if it adds a nick
 * or channel (see suppression).
 */
public final class IrcControlSession implements Detector {
  static final String NOTE = "IRC::ControlSession";
  private static final int MAX_ITEMS = 32;
  private static final int MAX_MEMBERS = 10_000;
  /** Document 000's filter: the commands that mark a control session. */
  static final java.util.Set<String> CONTROL = java.util.Set.of("USER", "NICK", "PASS", "JOIN", "MODE");

  private final Cache<String, Session> sessions;
  /** Clients seen joining each channel, kept while the channel sees joins. */
  private final Cache<ChannelKey, Set<String>> members;
  private final DetectorContext ctx;

  /** One client session; its fields are written into checkpoints, so their types are concrete. */
  static final class Session {
    FlowKey flow;
    long first;
    long last;
    TreeSet<String> uids = new TreeSet<>();
    String zeekUid;
    LinkedHashSet<String> nicks = new LinkedHashSet<>();
    LinkedHashSet<String> users = new LinkedHashSet<>();
    LinkedHashMap<String, String> channels = new LinkedHashMap<>();
    TreeSet<String> commands = new TreeSet<>();
    ArrayList<LinkedHashMap<String, Object>> dcc = new ArrayList<>();
    TreeSet<String> sources = new TreeSet<>();
    String serverName;
    Boolean pass;

    Session() {}

    Session(FlowKey flow, long first) {
      this.flow = flow;
      this.first = first;
      this.last = first;
    }
  }

  IrcControlSession(DetectorContext ctx, Duration quiet, long maxSessions, Duration channelMemory) {
    this.ctx = ctx;
    this.members = ctx.cache("irc.channel_members", 0, channelMemory, null,
        StateStore.Codec.of(new TypeReference<ChannelKey>() {}, new TypeReference<TreeSet<String>>() {}));
    long quietMicros = quiet.toNanos() / 1000;
    this.sessions = ctx.deadlineCache("irc.control_sessions", maxSessions, s -> s.last + quietMicros, (k, s, cause) -> {
      if (s != null && cause != RemovalCause.REPLACED) {
        report(s);
      }
    }, StateStore.Codec.of(String.class, Session.class));
  }

  @Override
  public void onEvent(Event e) {
    IrcFacts.Record r = IrcFacts.of(e);
    if (r != null) {
      record(r);
    }
  }

  private Session session(FlowKey flow, long ts) {
    String key = flow.communityId();
    if (key == null) {
      key = flow.toString();
    }
    Session s = sessions.getIfPresent(key);
    if (s == null) {
      s = new Session(flow, ts);
    }
    s.last = Math.max(s.last, ts);
    sessions.put(key, s); // (again): its deadline moves with its last line
    return s;
  }

  /**
   * One IRC record through {@link IrcFacts}. Of bottrace's irc_cmd.log only the client's own commands
   * count here (PASS and MODE among them; once it is seen for a session, "no PASS" is known rather than
   * not visible); of Suricata's ftp events only the server's replies (the 001 welcome names the nick, the
   * server's echo of a JOIN names the channel), and only once something IRC-like has survived in them.
   */
  private void record(IrcFacts.Record r) {
    boolean ftp = r.suricata();
    boolean clientLine = r.facts().stream().anyMatch(f -> f instanceof IrcFacts.ClientCommand);
    if (r.everyCommand() && !clientLine || !r.makesSession() && sessions.getIfPresent(keyOf(r.session())) == null) {
      return;
    }
    Session s = session(r.session(), r.ts());
    if (ftp) {
      s.sources.add("suricata ftp events (IRC taken for FTP)");
      if (r.uid() != null) {
        s.uids.add(r.uid());
      }
    } else {
      seenByZeek(s, r.source(), r.uid());
    }
    FlowKey flow = r.session();
    for (IrcFacts.Fact f : r.facts()) {
      if (f instanceof IrcFacts.ClientCommand c) {
        if (!r.everyCommand() || CONTROL.contains(c.command())) {
          s.commands.add(c.command());
        }
      } else if (f instanceof IrcFacts.Pass) {
        s.pass = Boolean.TRUE;
      } else if (f instanceof IrcFacts.Nick n) {
        add(s.nicks, n.nick());
        if (ftp) {
          s.commands.add("NICK");
        }
      } else if (f instanceof IrcFacts.ServerName n) {
        s.serverName = n.name();
      } else if (f instanceof IrcFacts.User u) {
        if (u.ident() != null) {
          add(s.users, u.args() == null || u.args().isEmpty() ? u.ident() : u.ident() + " " + u.args());
        }
      } else if (f instanceof IrcFacts.Join j) {
        if (s.channels.size() < MAX_ITEMS || s.channels.containsKey(j.channel())) {
          String had = s.channels.get(j.channel());
          s.channels.put(j.channel(), j.key() != null ? j.key() : had);
          member(flow, j.channel());
        }
      } else if (f instanceof IrcFacts.JoinEcho j) {
        if (s.nicks.isEmpty() || s.nicks.contains(j.nick())) {
          add(s.nicks, j.nick());
          s.commands.add("JOIN");
          if (s.channels.size() < MAX_ITEMS) {
            s.channels.putIfAbsent(j.channel(), null);
            member(flow, j.channel());
          }
        }
      } else if (f instanceof IrcFacts.Dcc d) {
        if (s.dcc.size() < MAX_ITEMS) {
          LinkedHashMap<String, Object> m = new LinkedHashMap<>();
          m.put("file", d.file());
          m.put("size", d.size() < 0 ? null : d.size());
          m.put("mime", d.mime());
          m.put("target", d.target());
          s.dcc.add(m);
        }
      }
    }
    if (r.everyCommand() && s.pass == null) {
      s.pass = Boolean.FALSE;
    }
  }

  private static void seenByZeek(Session s, String log, String uid) {
    s.sources.add(log);
    if (uid != null) {
      s.uids.add(uid);
      if (s.zeekUid == null) {
        s.zeekUid = uid;
      }
    }
  }

  private void member(FlowKey flow, String channel) {
    Set<String> m = members.get(ChannelKey.of(flow.respH(), flow.respP(), channel), k -> new TreeSet<>());
    if (m.size() < MAX_MEMBERS) {
      m.add(flow.origH());
    }
  }

  private static String keyOf(FlowKey flow) {
    String key = flow.communityId();
    return key == null ? flow.toString() : key;
  }

  private static void add(Set<String> set, String v) {
    if (set.size() < MAX_ITEMS) {
      set.add(v);
    }
  }

  @Override
  public void onEnd() {
    sessions.invalidateAll();
  }

  private void report(Session s) {
    FlowKey f = s.flow;
    List<String> chans = new ArrayList<>(s.channels.keySet());
    Map<String, Object> seen = new LinkedHashMap<>();
    for (String c : chans) {
      Set<String> m = members.getIfPresent(ChannelKey.of(f.respH(), f.respP(), c));
      seen.put(c, m == null ? 1 : m.size());
    }
    Map<String, String> keys = new LinkedHashMap<>();
    for (Map.Entry<String, String> c : s.channels.entrySet()) {
      if (c.getValue() != null) {
        keys.put(c.getKey(), c.getValue());
      }
    }
    String nick = s.nicks.isEmpty() ? null : s.nicks.iterator().next();
    StringBuilder msg = new StringBuilder("IRC client ").append(f.origH());
    if (nick != null) {
      msg.append(" as ").append(nick);
    }
    msg.append(" on ").append(f.respH()).append(':').append(f.respP());
    if (s.commands.contains("USER") || s.commands.contains("NICK")) {
      msg.append(s.commands.contains("USER") ? ", registered" : ", changed nick");
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
    Finding.Builder b = Finding.builder(NOTE, s.first)
        .msg(msg.toString())
        .sub(String.join(",", s.nicks))
        .conn(s.zeekUid != null ? s.zeekUid : s.uids.isEmpty() ? null : s.uids.iterator().next(), f)
        .uids(s.uids)
        .src(f.origH())
        .dst(f.respH())
        .port(f.respP())
        .key(f.origH() + "|" + f.origP() + "|" + f.respH() + "|" + f.respP())
        .window(s.first / 1_000_000L * 1_000_000L)
        .evidence("client", f.origH())
        .evidence("client_internal", ctx.home().contains(f.origH()))
        .evidence("server", f.respH())
        .evidence("server_port", f.respP())
        .evidence("server_name", s.serverName)
        .evidence("nicks", List.copyOf(s.nicks))
        .evidence("user", s.users.isEmpty() ? null : List.copyOf(s.users))
        .evidence("channels", chans)
        .evidence("channel_keys", keys.isEmpty() ? null : keys)
        .evidence("channel_clients_seen", seen.isEmpty() ? null : seen)
        .evidence("commands", List.copyOf(s.commands))
        .evidence("pass", s.pass == null ? "not visible" : s.pass)
        .evidence("dcc", s.dcc.isEmpty() ? null : List.copyOf(s.dcc))
        .evidence("first_seen", Micros.formatEpoch(s.first))
        .evidence("last_seen", Micros.formatEpoch(s.last))
        .evidence("sources", List.copyOf(s.sources));
    for (String n : s.nicks) {
      b.fact("nick:" + n);
    }
    for (String c : chans) {
      b.fact("channel:" + c);
    }
    for (LinkedHashMap<String, Object> d : s.dcc) {
      b.fact("dcc:" + d.get("file"));
    }
    ctx.emit(b.build());
  }

  /** Registers {@code IRC::ControlSession}. */
  public static final class Factory implements DetectorFactory {
    @Override
    public String name() {
      return NOTE;
    }

    @Override
    public String summary() {
      return "one notice per IRC client session using USER/NICK/PASS/JOIN/MODE: nicks, channels, keys";
    }

    @Override
    public Detector create(ConfigNode c, DetectorContext context) throws ConfigException {
      Duration quiet = c.positiveDuration("quiet", Duration.ofMinutes(2));
      long max = c.integer("max_sessions", 0, 0, 100_000_000);
      Duration channels = c.positiveDuration("channel_memory", Duration.ofHours(6));
      return new IrcControlSession(context, quiet, max, channels);
    }
  }
}
