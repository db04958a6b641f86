package org.bottrace.detect.irc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.detect.Detector;
import org.bottrace.detect.DetectorContext;
import org.bottrace.event.Event;
import org.bottrace.finding.Finding;
import org.bottrace.state.StateStore;

/**
 * {@code IRC::Botnet}: document 000's mechanisms over every IRC server seen, combined into the notices
 * {@code IRC::BotClient}, {@code IRC::CCServer}, {@code IRC::BotnetChannel} and {@code IRC::Herder}. Each
 * mechanism ({@link Mechanism}) adds signs with points; a client is a bot when its points reach
 * {@code bot_score} from at least {@code min_mechanisms} different mechanisms, a channel is a botnet
 * channel likewise with {@code channel_score}, a herder needs its commands answered in step. A server
 * with a botnet channel or a bot client is a C&amp;C server.
 *
 * <p>Every record is stamped with the log time it became available; a server is evaluated as of the
 * first multiple of {@code evaluate_every} after each record once the watermark passes it, when it is
 * forgotten, and at the end of a replay, so the notices depend on the logs only. A verdict is written
 * when it first holds, when it gains a fact, and after {@code repeat_after}.
 *
 * <p>The parts: {@link SessionRecorder} records the logs into the session model ({@link IrcServer});
 * this class schedules the evaluations; each {@link Mechanism} reads a {@link View} of a server as of a
 * time and adds signs; {@link Verdict} decides from the signs and the thresholds alone; {@link IrcNotices}
 * renders; {@link ControlSessions} writes IRC::ControlSession from the same sessions.
 */
public final class IrcBotnet implements Detector {
  static final String NAME = "IRC::Botnet";
  static final String BOT = "IRC::BotClient";
  static final String CC = "IRC::CCServer";
  static final String CHANNEL = "IRC::BotnetChannel";
  static final String HERDER = "IRC::Herder";

  private final DetectorContext ctx;
  private final Cache<String, IrcServer> servers;
  private final List<Mechanism> mechanisms;
  private final Cooperation cooperation;
  private final long evaluateEvery;
  private final long repeatAfter;
  private final Verdict.Thresholds thresholds;
  private final IrcNotices notices;
  private final long warmUp;
  /** IRC::ControlSession, from the same sessions; null when disabled. */
  private final ControlSessions controlSessions;
  private final SessionRecorder recorder;
  private final SessionRecorder.Bounds bounds;
  /** Evaluation times kept due per server (one a minute of log time: a day and more). */
  private static final int MAX_DUE = 2_000;

  IrcBotnet(DetectorContext ctx, ConfigNode c) throws ConfigException {
    this.ctx = ctx;
    evaluateEvery = IrcBotnet.positiveMicros(c, "evaluate_every", Duration.ofMinutes(1));
    repeatAfter = IrcBotnet.positiveMicros(c, "repeat_after", Duration.ofHours(1));
    thresholds = new Verdict.Thresholds(c.number("bot_score", 6, 0, 1000), c.number("channel_score", 5, 0, 1000),
        c.number("herder_score", 4, 0, 1000), c.integer("min_mechanisms", 2, 1, 20));
    warmUp = IrcBotnet.positiveMicros(c, "warm_up", Duration.ofMinutes(10));
    Duration memory = c.duration("memory", Duration.ofHours(24));
    long max = c.integer("max_servers", 0, 0, 100_000_000);
    bounds = new SessionRecorder.Bounds((int) c.integer("max_clients", 10_000, 10, 1_000_000),
        (int) c.integer("max_lines", 2_000, 10, 1_000_000));
    ConfigNode co = c.child("cooperation");
    boolean cooperate = co.bool("enabled", true);
    cooperation = new Cooperation(co);
    co.finish();
    List<Mechanism> ms = new ArrayList<>();
    add(ms, c, "sn_tn", SnTnProfile::new);
    add(ms, c, "response_time", ResponseTime::new);
    add(ms, c, "channel_growth", ChannelGrowth::new);
    add(ms, c, "long_stay", LongStay::new);
    add(ms, c, "single_channel", SingleChannelShare::new);
    if (cooperate) {
      ms.add(cooperation);
    }
    add(ms, c, "names", NamePatterns::new);
    add(ms, c, "commands", ControlCommands::new);
    add(ms, c, "herder", n -> new Herder(n, cooperation));
    add(ms, c, "signatures", Signatures::new);
    this.mechanisms = List.copyOf(ms);
    double minNickScore = 0.5;
    for (Mechanism m : ms) {
      if (m instanceof NamePatterns n) {
        minNickScore = n.minScore(); // one threshold for a bot-style nick, the names mechanism's
      }
    }
    notices = new IrcNotices(ctx.home(), thresholds, minNickScore);
    ConfigNode cs = c.child("control_sessions");
    boolean sessionsOn = cs.bool("enabled", true);
    ControlSessions sessions = new ControlSessions(ctx, cs, k -> servers().getIfPresent(k));
    cs.finish();
    this.controlSessions = sessionsOn ? sessions : null;
    this.servers = ctx.cache("irc.botnet_servers", max, memory, (k, s, cause) -> {
      if (s != null && cause != RemovalCause.REPLACED && cause != RemovalCause.EXPLICIT) {
        evaluateDue(s, Long.MAX_VALUE);
        if (controlSessions != null) {
          controlSessions.forgetting(k, s);
        }
      }
    }, StateStore.Codec.of(String.class, IrcServer.class));
    this.recorder = new SessionRecorder(ctx, servers, this::due, controlSessions, bounds);
  }

  /** A positive duration parameter, in microseconds. */
  static long positiveMicros(ConfigNode c, String key, Duration def) throws ConfigException {
    return c.positiveDuration(key, def).toNanos() / 1000;
  }

  private interface Make {
    Mechanism make(ConfigNode c) throws ConfigException;
  }

  /** A mechanism's section: {@code enabled} and its parameters, every key checked. */
  private static void add(List<Mechanism> ms, ConfigNode c, String name, Make make) throws ConfigException {
    ConfigNode n = c.child(name);
    boolean on = n.bool("enabled", true);
    Mechanism m = make.make(n);
    n.finish();
    if (on) {
      ms.add(m);
    }
  }

  // ---- records in ----

  @Override
  public void onEvent(Event e) {
    recorder.record(e);
  }

  /** The first evaluation time at or after a record that became available at {@code at}. */
  private long slot(long at) {
    return Math.floorDiv(at + evaluateEvery - 1, evaluateEvery) * evaluateEvery;
  }

  /** A record changed the server: it is to be evaluated at the record's slot. */
  private void due(IrcServer s, long at) {
    long slot = slot(at);
    if (s.due.size() < MAX_DUE && s.due.add(slot)) {
      dueIndex.computeIfAbsent(slot, k -> new java.util.LinkedHashSet<>()).add(SessionRecorder.serverKey(s.ip, s.port));
    }
  }

  // ---- evaluation ----

  /**
   * Evaluates every server at each due time the watermark has passed, as of that time: what it says
   * depends on the records up to then, not on how far the logs had been read.
   */
  @Override
  public void onWatermark(long w) {
    if (!indexed) {
      // after a restore from a checkpoint: the servers' due times, indexed once
      indexed = true;
      for (IrcServer s : servers.asMap().values()) {
        for (long slot : s.due) {
          dueIndex.computeIfAbsent(slot, k -> new java.util.LinkedHashSet<>()).add(SessionRecorder.serverKey(s.ip, s.port));
        }
      }
    }
    while (!dueIndex.isEmpty() && dueIndex.firstKey() <= w) {
      for (String key : dueIndex.pollFirstEntry().getValue()) {
        IrcServer s = servers.getIfPresent(key);
        if (s != null) {
          evaluateDue(s, w);
        }
      }
    }
  }

  @Override
  public void onEnd() {
    for (IrcServer s : servers.asMap().values()) {
      evaluateDue(s, Long.MAX_VALUE);
    }
    dueIndex.clear();
    if (controlSessions != null) {
      controlSessions.onEnd();
    }
  }

  private Cache<String, IrcServer> servers() {
    return servers;
  }

  private void evaluateDue(IrcServer s, long upTo) {
    while (!s.due.isEmpty() && s.due.first() <= upTo) {
      long t = s.due.pollFirst();
      current = s;
      evaluate(s.asOf(t));
    }
  }

  /**
   * Evaluation time to the servers due then: an index over the servers' own due times (which the
   * checkpoint keeps), so that a watermark step touches only the servers that are due.
   */
  private final java.util.TreeMap<Long, java.util.LinkedHashSet<String>> dueIndex = new java.util.TreeMap<>();
  private boolean indexed;

  /** The stored server being evaluated (its copy as of the evaluation time is what the mechanisms see). */
  private IrcServer current;

  /**
   * Emits a finding when it says something new about its subject (a fact not in the last one emitted)
   * or {@code repeat_after} of log time has passed since: an evaluation that finds the same again says
   * nothing, so how often a server is evaluated never shows in the output.
   */
  private void emit(Finding f) {
    String key = f.note() + "|" + f.key();
    IrcServer.Emitted last = current.emitted.get(key);
    if (last != null && last.facts().containsAll(f.facts()) && f.ts() - last.ts() < repeatAfter) {
      return;
    }
    if (last != null || current.emitted.size() < bounds.maxClients()) {
      java.util.TreeSet<String> facts = new java.util.TreeSet<>(f.facts());
      if (last != null && f.ts() - last.ts() < repeatAfter) {
        facts.addAll(last.facts());
      }
      current.emitted.put(key, new IrcServer.Emitted(facts, last != null && f.ts() - last.ts() < repeatAfter
          ? last.ts() : f.ts()));
    }
    ctx.emit(f);
  }

  private void evaluate(IrcServer s) {
    View v = new View(s, cooperation.quietBefore, cooperation.answerWindow, warmUp);
    Signs signs = new Signs();
    for (Mechanism m : mechanisms) {
      m.evaluate(v, signs);
    }
    notices.render(v, signs, Verdict.of(v, signs, thresholds), this::emit);
  }

  /**
   * The startup summary's line on what the inputs allow: which of the logs the mechanisms use are there
   * and what is lost without each; a followed log that does not exist yet (Zeek creates a log with its
   * first record) is "not there yet". Null when no input can carry IRC evidence.
   */
  public static String coverage(java.util.Collection<java.nio.file.Path> files) {
    Map<String, Boolean> kinds = new TreeMap<>(); // kind -> exists now
    for (java.nio.file.Path p : files) {
      String name = p.getFileName() == null ? "" : p.getFileName().toString().toLowerCase(Locale.ROOT);
      String k = org.bottrace.source.ZeekKinds.kindFromFileName(name);
      if (k == null && name.contains("eve") && name.contains(".json")) {
        k = "eve";
      }
      if (k != null) {
        kinds.merge(k, java.nio.file.Files.exists(p), Boolean::logicalOr);
      }
    }
    if (!kinds.containsKey("irc") && !kinds.containsKey("irc_cmd") && !kinds.containsKey("eve")) {
      return null;
    }
    StringBuilder b = new StringBuilder(NAME + " evidence:");
    have(b, kinds, "irc", "irc.log", "no nicks, USER lines, joins or keys");
    have(b, kinds, "conn", "conn.log", "no stay lengths, no IRC on odd ports");
    have(b, kinds, "irc_cmd", "irc_cmd.log", "no response times, channel lines or operator rights");
    have(b, kinds, "irc_pkt", "irc_pkt.log", "no Sn/Tn profile");
    have(b, kinds, "eve", "EVE", "no alerts");
    b.setLength(b.length() - 1);
    if (!kinds.containsKey("irc_cmd") && !kinds.containsKey("eve")) {
      b.append("; no line timing: no answers in step, no herder");
    }
    return b.toString();
  }

  private static void have(StringBuilder b, Map<String, Boolean> kinds, String kind, String name, String without) {
    Boolean exists = kinds.get(kind);
    b.append(' ').append(name).append(' ')
        .append(exists == null ? "no (" + without + ")" : exists ? "yes" : "not there yet").append(',');
  }

  /** Registers {@code IRC::Botnet}. */
  public static final class Factory extends org.bottrace.detect.NamedFactory {
    public Factory() {
      super(NAME, "the mechanisms of Detecting IRC botnets combined: IRC::BotClient, IRC::CCServer, IRC::BotnetChannel, IRC::Herder",
          (c, context) -> new IrcBotnet(context, c));
    }
  }
}
