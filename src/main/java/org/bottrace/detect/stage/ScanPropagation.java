package org.bottrace.detect.stage;

import com.fasterxml.jackson.core.type.TypeReference;
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
import org.bottrace.event.ConnEvent;
import org.bottrace.event.EveFlow;
import org.bottrace.event.Event;
import org.bottrace.event.FlowKey;
import org.bottrace.event.Micros;
import org.bottrace.finding.Finding;
import org.bottrace.state.StateStore;

/**
 * {@code Scan::Propagation}: document 000's spreading stage. A host contacting many distinct addresses
 * NEAR ITS OWN (its /24, or its /16) on the ports worms use, mostly failing or unanswered, in one burst.
 * A scan of us from outside is not near the scanner's own address and does not count; service traffic
 * succeeds and does not count either.
 *
 * <p>Sources: Zeek conn.log (conn_state S0, REJ, RSTO, RSTR, RSTOS0, RSTRH, SH, SHR, OTH with no payload
 * are failures) and Suricata EVE flows (no packet back, or a reset after at most two packets each way,
 * or a flow that never left state new). A flow both sensors saw is one target, counted once: targets are
 * counted by address. A burst ends when the host has been quiet on those ports for {@code quiet}; it is
 * reported then, once, with every target. IPv4 only (a worm's "nearby" is an IPv4 notion).
 */
public final class ScanPropagation implements Detector {
  static final String NOTE = "Scan::Propagation";
  private static final int MAX_TARGETS = 4096;

  /** One host's burst of attempts; fields concrete for checkpoints. */
  static final class Burst {
    String host;
    long first;
    long last;
    /** Target address to [attempts, failures]. */
    TreeMap<String, long[]> targets = new TreeMap<>();
    TreeMap<Integer, Integer> ports = new TreeMap<>();
    TreeSet<String> uids = new TreeSet<>();
    TreeSet<String> sources = new TreeSet<>();

    Burst() {}

    Burst(String host, long ts) {
      this.host = host;
      this.first = ts;
      this.last = ts;
    }
  }

  private final DetectorContext ctx;
  private final Cache<String, Burst> bursts;
  private final org.bottrace.config.PortSet ports;
  private final long min24;
  private final long min16;
  private final double minFailed;
  private final long commandWindow;
  private final org.bottrace.detect.irc.IrcHosts orders;

  ScanPropagation(DetectorContext ctx, ConfigNode c) throws ConfigException {
    this.ctx = ctx;
    Duration quiet = c.positiveDuration("quiet", Duration.ofMinutes(2));
    this.ports = c.ports("ports", List.of("21", "22", "23", "25", "80", "135", "137", "139", "445", "1433", "1434",
        "2323", "3306", "3389", "5432", "5900", "6379", "7547", "8080", "9200"));
    this.min24 = c.integer("min_targets_24", 20, 2, 1_000_000);
    this.min16 = c.integer("min_targets_16", 50, 2, 1_000_000);
    this.minFailed = c.number("min_failed_share", 0.7, 0, 1);
    long max = c.integer("max_hosts", 0, 0, 100_000_000);
    Duration command = c.positiveDuration("command_window", Duration.ofSeconds(30));
    this.commandWindow = command.toNanos() / 1000;
    // kept long enough for a scan that lasts an hour to be reported with the order that began it
    this.orders = new org.bottrace.detect.irc.IrcHosts(ctx, "scan.irc_orders", max,
        command.plus(quiet).plus(Duration.ofHours(1)));
    long quietMicros = quiet.toNanos() / 1000;
    this.bursts = ctx.deadlineCache("scan.bursts", max, b -> b.last + quietMicros, (k, b, cause) -> {
      if (b != null && cause != RemovalCause.REPLACED) {
        report(b);
      }
    }, StateStore.Codec.of(new TypeReference<String>() {}, new TypeReference<Burst>() {}));
  }

  @Override
  public void onEvent(Event e) {
    orders.onEvent(e);
    if (e instanceof ConnEvent) {
      ConnEvent c = (ConnEvent) e;
      if (!"tcp".equals(c.flow().proto()) && !"udp".equals(c.flow().proto())) {
        return;
      }
      attempt(c.flow(), c.ts(), Flows.failed(c), c.uid(), "zeek conn.log");
    } else if (e instanceof EveFlow) {
      EveFlow f = (EveFlow) e;
      attempt(f.flow(), f.ts(), Flows.failed(f), f.flowRef(), "suricata flows");
    }
  }

  /** The /24 (or /16 with {@code octets} 2) of an IPv4 address, or null. */
  static String prefix(String ip, int octets) {
    if (ip == null || ip.indexOf(':') >= 0) {
      return null;
    }
    int at = -1;
    for (int i = 0; i < octets; i++) {
      at = ip.indexOf('.', at + 1);
      if (at < 0) {
        return null;
      }
    }
    return ip.substring(0, at);
  }

  private void attempt(FlowKey f, long ts, boolean failed, String uid, String source) {
    if (!ports.contains(f.respP())) {
      return;
    }
    String own16 = prefix(f.origH(), 2);
    if (own16 == null || !own16.equals(prefix(f.respH(), 2)) || f.origH().equals(f.respH())) {
      return; // not near its own address: not propagation
    }
    Burst b = bursts.getIfPresent(f.origH());
    if (b == null) {
      b = new Burst(f.origH(), ts);
    }
    b.first = Math.min(b.first, ts);
    b.last = Math.max(b.last, ts);
    long[] t = b.targets.get(f.respH());
    if (t == null && b.targets.size() < MAX_TARGETS) {
      t = new long[2];
      b.targets.put(f.respH(), t);
    }
    if (t != null) {
      t[0]++;
      if (failed) {
        t[1]++;
      }
    }
    b.ports.merge(f.respP(), 1, Integer::sum);
    if (uid != null && b.uids.size() < 64) {
      b.uids.add(uid);
    }
    b.sources.add(source);
    bursts.put(f.origH(), b); // its deadline moves with its last attempt
  }

  @Override
  public void onEnd() {
    bursts.invalidateAll();
  }

  private void report(Burst b) {
    String own24 = prefix(b.host, 3);
    int near24 = 0;
    int failed24 = 0;
    int near16 = 0;
    int failed16 = 0;
    List<String> failedTargets = new ArrayList<>();
    List<String> answered = new ArrayList<>();
    for (Map.Entry<String, long[]> t : b.targets.entrySet()) {
      boolean failedAll = t.getValue()[1] >= t.getValue()[0];
      near16++;
      failed16 += failedAll ? 1 : 0;
      if (own24 != null && own24.equals(prefix(t.getKey(), 3))) {
        near24++;
        failed24 += failedAll ? 1 : 0;
      }
      (failedAll ? failedTargets : answered).add(t.getKey());
    }
    String scope;
    int targets;
    int failed;
    if (near24 >= min24 && (double) failed24 / near24 >= minFailed) {
      scope = own24 + ".0/24";
      targets = near24;
      failed = failed24;
    } else if (near16 >= min16 && (double) failed16 / near16 >= minFailed) {
      scope = prefix(b.host, 2) + ".0.0/16";
      targets = near16;
      failed = failed16;
    } else {
      return;
    }
    List<String> portList = new ArrayList<>();
    for (int p : b.ports.keySet()) {
      portList.add(String.valueOf(p));
    }
    // the C&C command that ordered it: the latest within command_window before it, one naming its port first
    org.bottrace.detect.irc.IrcHosts.Order order = orders.order(b.host, b.first, commandWindow,
        o -> !java.util.Collections.disjoint(o.ports(), b.ports.keySet()));
    String msg = String.format(Locale.ROOT, "%s scanned %d addresses of its own %s on port %s, %d of them failed or"
        + " unanswered, in %.1f s", b.host, targets, scope, String.join(",", portList), failed,
        (b.last - b.first) / 1e6) + (order == null ? "" : String.format(Locale.ROOT, ", %.1f s after %s",
        (b.first - order.ts()) / 1e6, order.describe()));
    Finding.Builder f = Finding.builder(NOTE, b.last)
        .msg(msg)
        .stage(Finding.Stage.PROPAGATION)
        .rated(Finding.Severity.HIGH, order != null ? 0.9 : 0.75)
        .sub(scope + " port " + String.join(",", portList))
        .src(b.host)
        .port(b.ports.size() == 1 ? b.ports.firstKey() : -1)
        .uids(b.uids)
        .key(b.host)
        .window(b.first / 1_000_000L * 1_000_000L)
        .evidence("scanner", b.host)
        .evidence("scanner_internal", ctx.home().contains(b.host))
        .evidence("scope", scope)
        .evidence("targets", targets)
        .evidence("failed_or_unanswered", failed)
        .evidence("failed_share", Math.round(1000.0 * failed / targets) / 1000.0)
        .evidence("ports", Finding.pairs(b.ports, "port", "attempts"))
        .evidence("answered", answered.isEmpty() ? null : answered.subList(0, Math.min(32, answered.size())))
        .evidence("first_target", b.targets.firstKey())
        .evidence("last_target", b.targets.lastKey())
        .firstSeen(b.first)
        .evidence("last_seen", Micros.formatEpoch(b.last))
        .evidence("sources", List.copyOf(b.sources))
        .evidence("ordered_by", order == null ? null : order.evidence(b.first))
        .fact("scope:" + scope);
    ctx.emit(f.build());
  }

  /** Registers {@code Scan::Propagation}. */
  public static final class Factory extends org.bottrace.detect.NamedFactory {
    public Factory() {
      super(NOTE, "a host scanning addresses near its own on worm ports, mostly failing (the spreading stage of Detecting IRC botnets)",
          (c, context) -> new ScanPropagation(context, c));
    }
  }
}
