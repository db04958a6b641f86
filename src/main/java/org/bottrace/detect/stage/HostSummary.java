package org.bottrace.detect.stage;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import org.bottrace.event.Micros;
import org.bottrace.finding.Finding;
import org.bottrace.state.StateStore;

/**
 * {@code Host::Summary}: the per-host view an analyst asks for ("which hosts are infected, how sure, since
 * when"), from every other finding: each host's roles (bot, herder, cc, download_server, dns_server), the
 * notes behind them, first and last seen, the most severe note's severity and the confidence of them all
 * together (1 - the product of 1 - each note's confidence: independent notes). Written again, under the
 * same subject, when a host gains a role or a note or its severity rises.
 */
public final class HostSummary implements Detector {
  /** Its note: the report's per-host rows come from the notes behind it, not from it. */
  public static final String NOTE = "Host::Summary";
  private static final int MAX_NOTES = 32;

  /** What is known of one host (concrete fields: checkpointed). */
  static final class Host {
    String ip;
    TreeSet<String> roles = new TreeSet<>();
    /** Note to [count, first, last] and its best confidence and highest severity. */
    TreeMap<String, long[]> notes = new TreeMap<>();
    TreeMap<String, Double> confidence = new TreeMap<>();
    TreeMap<String, String> severity = new TreeMap<>();
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    Host() {}
  }

  private final DetectorContext ctx;
  private final Cache<String, Host> hosts;

  HostSummary(DetectorContext ctx, ConfigNode c) throws ConfigException {
    this.ctx = ctx;
    Duration keep = c.positiveDuration("window", Duration.ofHours(24));
    this.hosts = ctx.cache("hosts.summary", c.integer("max_hosts", 0, 0, 100_000_000), keep, null,
        StateStore.Codec.of(String.class, Host.class));
  }

  @Override
  public void onEvent(Event e) {}

  @Override
  public void onFinding(Finding f) {
    if (f.severity() == Finding.Severity.INFORMATIONAL) {
      return; // what a session did is no role
    }
    Finding.Actor a = f.acting();
    if (a != null) {
      add(f.src(), a.label(), f);
    }
    for (Finding.Server s : f.servers()) {
      String role = switch (s.role()) {
        case CC -> "cc";
        case DOWNLOAD -> "download_server";
        case DNS -> "dns_server";
        case LISTED -> null;
      };
      if (role != null && !s.ip().equals(f.src())) {
        add(s.ip(), role, f);
      }
    }
  }

  private void add(String ip, String role, Finding f) {
    if (role == null) {
      return;
    }
    Host h = hosts.get(ip, k -> {
      Host n = new Host();
      n.ip = ip;
      return n;
    });
    boolean changed = h.roles.add(role);
    String before = worst(h);
    long[] n = h.notes.get(f.note());
    if (n == null && h.notes.size() < MAX_NOTES) {
      h.notes.put(f.note(), new long[] {1, f.ts(), f.ts()});
      changed = true;
    } else if (n != null) {
      n[0]++;
      n[1] = Math.min(n[1], f.ts());
      n[2] = Math.max(n[2], f.ts());
    }
    h.confidence.merge(f.note(), f.confidence(), Math::max);
    h.severity.merge(f.note(), f.severity().label(),
        (a, b) -> Finding.Severity.of(a).compareTo(Finding.Severity.of(b)) >= 0 ? a : b);
    h.first = Math.min(h.first, f.ts());
    h.last = Math.max(h.last, f.ts());
    hosts.put(ip, h);
    if (changed || !worst(h).equals(before)) {
      report(h, f.ts());
    }
  }

  private static String worst(Host h) {
    Finding.Severity w = Finding.Severity.INFORMATIONAL;
    for (String s : h.severity.values()) {
      Finding.Severity x = Finding.Severity.of(s);
      w = x.compareTo(w) > 0 ? x : w;
    }
    return w.label();
  }

  private void report(Host h, long now) {
    double doubt = 1;
    List<Map<String, Object>> notes = new ArrayList<>();
    for (Map.Entry<String, long[]> e : h.notes.entrySet()) {
      double c = h.confidence.getOrDefault(e.getKey(), 0.0);
      doubt *= 1 - c;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("note", e.getKey());
      m.put("count", e.getValue()[0]);
      m.put("severity", h.severity.get(e.getKey()));
      m.put("confidence", c);
      m.put("first_seen", Micros.formatEpoch(e.getValue()[1]));
      m.put("last_seen", Micros.formatEpoch(e.getValue()[2]));
      notes.add(m);
    }
    double confidence = Math.min(0.99, Math.round((1 - doubt) * 1000) / 1000.0);
    String sev = worst(h);
    Finding.Builder b = Finding.builder(NOTE, now)
        .rated(Finding.Severity.of(sev), confidence)
        .msg(String.format(Locale.ROOT, "%s: %s (%s), %s, confidence %.2f, since %s", h.ip, String.join(", ", h.roles),
            String.join(", ", h.notes.keySet()), sev, confidence, Micros.formatIso(h.first)))
        .sub(String.join(",", h.roles))
        .src(h.ip)
        .key(h.ip)
        .window(0)
        .evidence("host", h.ip)
        .evidence("host_internal", ctx.home().contains(h.ip))
        .evidence("roles", List.copyOf(h.roles))
        .evidence("notes", notes)
        .firstSeen(h.first)
        .evidence("last_seen", Micros.formatEpoch(h.last))
        .facts(h.roles)
        .facts(h.notes.keySet())
        .fact("severity:" + sev)
        .ownIdsOnly();
    if (h.roles.contains("cc")) {
      b.server(h.ip, Finding.Role.CC);
    }
    if (h.roles.contains(Finding.Actor.HERDER.label())) {
      b.actor(Finding.Actor.HERDER);
    } else if (h.roles.contains(Finding.Actor.BOT.label())) {
      b.actor(Finding.Actor.BOT);
    }
    ctx.emit(b.build());
  }

  /** Registers {@code Host::Summary}. */
  public static final class Factory extends org.bottrace.detect.NamedFactory {
    public Factory() {
      super(NOTE, "each host's roles (bot, herder, C&C, download or DNS server), the notes behind them, since when",
          (c, context) -> new HostSummary(context, c));
    }
  }
}
