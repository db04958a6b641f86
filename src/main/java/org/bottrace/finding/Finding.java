package org.bottrace.finding;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.bottrace.event.FlowKey;

/**
 * What a detector found, with its evidence. Built with {@link #builder}.
 *
 * @param note the notice type ("IRC::ControlSession")
 * @param ts event time of the finding (microseconds)
 * @param msg one human-readable sentence
 * @param sub a sub-message: what distinguishes this finding from others of the same note and hosts
 * @param uid the main connection's Zeek uid (or Suricata flow id), or null
 * @param conn the main connection, or null
 * @param src the host that acted (for most notes the internal one), or null
 * @param dst the host acted upon (the server, the listed peer), or null
 * @param p the port involved, or -1
 * @param uids every uid, flow id and community id involved, sorted
 * @param names DNS names involved (checked against the allowlist's domains)
 * @param evidence the figures behind the finding, in a fixed order
 * @param key what identifies the finding's subject, for its stable id
 * @param window start of the time window the finding covers (microseconds), for its stable id
 * @param facts the distinct items of evidence: a finding with a fact not reported before is written
 *     again even inside the suppression interval
 * @param sensorIds whether the pipeline adds the ids other sensors gave the main connection (off for
 *     findings whose ids must not depend on when the other sensor's records were read)
 * @param servers the servers it names and what each is to the botnet (the traceback enrichment's input)
 * @param stage the infection stage it is evidence of for {@code src}, or null
 * @param ircServer what it shows of an IRC server's administration (port, PASS), or null
 * @param severity how much it matters to the site (see README's Notices)
 * @param confidence how sure the finding is, 0 to 1
 * @param firstSeen when what it describes began (microseconds: a session's first line), or -1 when it is
 *     the finding's own time
 * @param actor what {@code src} is to the botnet when the finding says so (a bot, the herder), or null
 * @param url the URL it names (a program's download: http://host[:port]/path), or null
 */
public record Finding(String note, long ts, String msg, String sub, String uid, FlowKey conn, String src, String dst,
    int p, List<String> uids, List<String> names, Map<String, Object> evidence, String key, long window,
    Set<String> facts, boolean sensorIds, List<Server> servers, Stage stage, IrcServer ircServer, Severity severity,
    double confidence, long firstSeen, Actor actor, String url) {

  /** How much a finding matters to the site, as SIEMs rank alerts. */
  public enum Severity {
    INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL;

    /** "informational", ..., "critical". */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The severity a label names, or null. */
    public static Severity of(String label) {
      for (Severity s : values()) {
        if (s.label().equals(label)) {
          return s;
        }
      }
      return null;
    }
  }

  /**
   * The confidence of a verdict that {@code k} independent signs agree on, each taken as no better than a
   * coin: 1 - 0.5^k (2 signs 0.75, 3 0.875, 4 0.94), at most 0.99.
   */
  public static double agreeing(int k) {
    return Math.min(0.99, Math.round((1 - Math.pow(0.5, Math.max(0, k))) * 1000) / 1000.0);
  }

  /** What a server is to a botnet. */
  public enum Role {
    CC, DOWNLOAD, DNS, LISTED;

    /** The role as notices and configuration write it: "cc", "download", "dns", "listed". */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What the host that acted ({@code src}) is to a botnet. */
  public enum Actor {
    BOT, HERDER;

    /** "bot", "herder". */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * What {@code src} is to a botnet by this finding: the actor it names (the herder), else a bot when it is
   * evidence of an infection stage of src other than resolving a C&amp;C's name, or names a C&amp;C of src's; null
   * when it says neither, has no src, or is informational (a session seen is no role). The per-host view
   * and the report both go by this.
   */
  public Actor acting() {
    if (src == null || severity == Severity.INFORMATIONAL) {
      return null;
    }
    if (actor != null) {
      return actor;
    }
    if (stage == Stage.CC_RESOLUTION) {
      return null;
    }
    return stage != null || servers.stream().anyMatch(s -> s.role() == Role.CC && !s.ip().equals(src)) ? Actor.BOT : null;
  }

  /** A server a finding names, in a role. */
  public record Server(String ip, Role role) {}

  /** The stages of an infection (BotHunter's dialog) a finding can be evidence of, for the host that acted. */
  public enum Stage {
    CC_CONTACT, CC_RESOLUTION, DOWNLOAD, PROPAGATION, DNS_ANOMALY;

    /** "cc_contact", ...: as the infection story's timeline writes it. */
    public String label() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /**
   * What a finding shows of an IRC server's administration (document 004's open IRC server evidence): its
   * port, and whether its clients had to give PASS (null: not visible).
   */
  public record IrcServer(String ip, int port, Boolean pass) {}

  /** The same finding with more uids. */
  public Finding withUids(List<String> more) {
    return new Finding(note, ts, msg, sub, uid, conn, src, dst, p, more, names, evidence, key, window, facts, sensorIds,
        servers, stage, ircServer, severity, confidence, firstSeen, actor, url);
  }

  /** Starts a finding of the given note at event time {@code ts}. */
  public static Builder builder(String note, long ts) {
    return new Builder(note, ts);
  }

  /** Builds a {@link Finding}; every setter may be skipped except {@link #msg} and {@link #key}. */
  public static final class Builder {
    private final String note;
    private final long ts;
    private String msg;
    private String sub;
    private String uid;
    private FlowKey conn;
    private String src;
    private String dst;
    private int p = -1;
    private final Set<String> uids = new TreeSet<>();
    private final Set<String> names = new TreeSet<>();
    private final Map<String, Object> evidence = new LinkedHashMap<>();
    private String key;
    private long window;
    private final Set<String> facts = new TreeSet<>();
    private boolean sensorIds = true;
    private final List<Server> servers = new ArrayList<>();
    private Stage stage;
    private IrcServer ircServer;
    private Severity severity;
    private double confidence = -1;
    private long firstSeen = -1;
    private Actor actor;
    private String url;

    private Builder(String note, long ts) {
      this.note = Objects.requireNonNull(note);
      this.ts = ts;
    }

    public Builder msg(String m) {
      this.msg = m;
      return this;
    }

    public Builder sub(String s) {
      this.sub = s;
      return this;
    }

    /** The main connection: its uid and 5-tuple; also added to uids with its community id. */
    public Builder conn(String uidOrFlowId, FlowKey flow) {
      this.uid = uidOrFlowId;
      this.conn = flow;
      if (uidOrFlowId != null) {
        uids.add(uidOrFlowId);
      }
      if (flow != null) {
        String c = flow.communityId();
        if (c != null) {
          uids.add(c);
        }
      }
      return this;
    }

    public Builder src(String s) {
      this.src = s;
      return this;
    }

    public Builder dst(String d) {
      this.dst = d;
      return this;
    }

    public Builder port(int port) {
      this.p = port;
      return this;
    }

    public Builder uid(String u) {
      if (u != null) {
        uids.add(u);
      }
      return this;
    }

    public Builder uids(Collection<String> us) {
      for (String u : us) {
        uid(u);
      }
      return this;
    }

    public Builder name(String n) {
      if (n != null) {
        names.add(n);
      }
      return this;
    }

    /** Adds evidence; null values are left out. */
    public Builder evidence(String k, Object v) {
      if (v != null) {
        evidence.put(k, v);
      }
      return this;
    }

    public Builder key(String k) {
      this.key = k;
      return this;
    }

    public Builder window(long w) {
      this.window = w;
      return this;
    }

    public Builder fact(String f) {
      facts.add(f);
      return this;
    }

    public Builder facts(Collection<String> fs) {
      facts.addAll(fs);
      return this;
    }

    /** A server it names, in a role (an address; anything else is left out). */
    public Builder server(String ip, Role role) {
      if (ip != null && servers.stream().noneMatch(x -> x.ip().equals(ip) && x.role() == role)) {
        servers.add(new Server(ip, role));
      }
      return this;
    }

    /** The infection stage it is evidence of, for its src. */
    public Builder stage(Stage s) {
      this.stage = s;
      return this;
    }

    /** What it shows of an IRC server's administration. */
    public Builder ircServer(String ip, int port, Boolean pass) {
      this.ircServer = new IrcServer(ip, port, pass);
      return this;
    }

    /** When what it describes began (microseconds); also written as the evidence {@code first_seen}. */
    public Builder firstSeen(long micros) {
      this.firstSeen = micros;
      evidence.put("first_seen", org.bottrace.event.Micros.formatEpoch(micros));
      return this;
    }

    /** The URL it names (http://host[:port]/path). */
    public Builder url(String u) {
      this.url = u;
      return this;
    }

    /** What its src is to the botnet. */
    public Builder actor(Actor a) {
      this.actor = a;
      return this;
    }

    /** How much it matters and how sure it is (0 to 1): every finding has both. */
    public Builder rated(Severity s, double confidence) {
      this.severity = s;
      this.confidence = Math.max(0, Math.min(1, confidence));
      return this;
    }

    /** The uids given are all there is: the pipeline adds no ids of other sensors. */
    public Builder ownIdsOnly() {
      this.sensorIds = false;
      return this;
    }

    public Finding build() {
      if (msg == null || key == null || severity == null || confidence < 0) {
        throw new IllegalStateException("a finding needs msg, key, severity and confidence: " + note);
      }
      return new Finding(note, ts, msg, sub, uid, conn, src, dst, p, List.copyOf(uids), List.copyOf(names),
          Collections.unmodifiableMap(new LinkedHashMap<>(evidence)), key, window,
          Collections.unmodifiableSet(new TreeSet<>(facts)), sensorIds, List.copyOf(servers), stage, ircServer, severity,
          confidence, firstSeen, actor, url);
    }
  }

  /**
   * A map whose keys are data (channels, ports, hosts) as evidence: a list of objects {keyName: key,
   * valueName: value}, so that no datum becomes a field name in a SIEM.
   */
  public static List<Map<String, Object>> pairs(Map<?, ?> m, String keyName, String valueName) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put(keyName, e.getKey());
      x.put(valueName, e.getValue());
      out.add(x);
    }
    return List.copyOf(out);
  }

  /** A sorted copy of the strings, for evidence lists. */
  public static List<String> sorted(Collection<String> c) {
    List<String> l = new ArrayList<>(c);
    Collections.sort(l);
    return List.copyOf(l);
  }
}
