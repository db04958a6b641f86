package org.bottrace.detect.stage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.detect.Detector;
import org.bottrace.detect.DetectorContext;
import org.bottrace.event.ConnEvent;
import org.bottrace.event.Event;
import org.bottrace.event.FlowKey;
import org.bottrace.event.Micros;
import org.bottrace.finding.Finding;
import org.bottrace.state.StateStore;

/**
 * {@code C2::Beacon}: an internal host calling an external server at regular intervals with requests of
 * regular size, for hours, whatever the protocol: how bots and RATs check in with their C&amp;C when they
 * hold no session open. RITA's beacon analysis is the reference; its figures are kept (Bowley skewness
 * and median absolute deviation of the intervals and of the sizes), made relative to the interval and
 * size themselves so that a 5-minute beacon with 30 s of jitter scores as a 60-second one with 6 s.
 *
 * <p>Fewer false alarms than RITA's, from how the look-alikes work: a server most internal hosts call
 * (update, telemetry and antivirus services, a CDN the whole site polls) is the site's infrastructure,
 * not one bot's C&amp;C ({@code max_prevalence}); protocols that poll by design (NTP, DNS, DHCP, SNMP, as
 * Zeek recognised them by their content, not their port) are left out ({@code ignore_services}). A beacon
 * must also persist: connections in most hours of its span ({@code min_persistence}).
 *
 * <p>Sources: Zeek conn.log rows and Suricata flow events (finished connections; one both saw counts once). Each pair (host, server, port) is judged once its
 * {@code window} (24 h) has passed since its first connection, or at the end of a replay.
 */
public final class Beacon implements Detector {
  static final String NOTE = "C2::Beacon";
  private static final int MAX_CONNECTIONS = 4096;

  /** One pair's connections in its window (concrete fields: checkpointed). */
  static final class Pair {
    String src;
    String dst;
    /** The name the host had resolved to the server's addresses (passive DNS), or null: pairs by address. */
    String name;
    TreeSet<String> addresses = new TreeSet<>();
    int port;
    String proto;
    String service;
    long first;
    long last;
    /** Starts and request sizes (-1 for one only the other sensor saw) of its connections, {@code n} of them. */
    long[] starts = new long[4];
    long[] sizes = new long[4];
    int n;
    TreeSet<String> uids = new TreeSet<>();
    /**
     * Sorted, {@code seenCount} of them: a hash of each counted connection's 5-tuple (either direction)
     * and second, so that both sensors' records of one count once.
     */
    long[] seen = new long[4];
    int seenCount;
    /** The sensor whose sizes are used: the one that gave the first connection. */
    String sensor;

    Pair() {}
  }

  /**
   * A pair's first connection, kept compact until a second one makes it a {@link Pair}: most pairs are
   * one connection, and one connection is never a beacon (concrete fields: checkpointed).
   */
  static final class First {
    String dst;
    String name;
    long bytes;
    String service;
    String uid;
    String sensor;
    long once;

    First() {}
  }

  /** A pair: the host, the server (an address, or the name the host resolved) and port, the protocol. */
  record PairKey(String src, String server, int port, String proto) {
    /** A 64-bit key for the compact table of first connections. */
    long hash() {
      return org.bottrace.event.FlowKey.mix(org.bottrace.event.Addresses.key(src, server) * 0x9E3779B97F4A7C15L
          + port * 31L + proto.hashCode());
    }
  }

  private final DetectorContext ctx;
  private final Cache<PairKey, Pair> pairs;
  /** A hash of a pair's key to its first connection (its start in the entry's long); null: pairs from the first. */
  private final org.bottrace.state.CompactTable<First> firsts;
  /** What the touches read (kept so that they are not optimised away). */
  private long touched;
  private final long windowMicros;
  /** Which internal hosts call each server: the site's infrastructure is not one bot's C&amp;C. */
  private final Prevalence site;
  /** "host|address" to the name whose answer gave the host that address (its latest). */
  private final org.bottrace.state.CompactTable<String> resolved;
  /** The same as a cache of "host|address" ({@code state.compact: false}), else null. */
  private final Cache<String, String> resolvedCache;
  private final int minConnections;
  private final long minSpan;
  private final double minScore;
  private final double minPersistence;
  private final Set<String> ignoreServices;

  Beacon(DetectorContext ctx, ConfigNode c) throws ConfigException {
    this.ctx = ctx;
    Duration window = c.positiveDuration("window", Duration.ofHours(24));
    this.minConnections = (int) c.integer("min_connections", 24, 4, 1_000_000);
    this.minSpan = c.positiveDuration("min_span", Duration.ofHours(2)).toNanos() / 1000;
    this.minScore = c.number("min_score", 0.8, 0, 1);
    this.minPersistence = c.number("min_persistence", 0.8, 0, 1);
    this.ignoreServices = Set.copyOf(c.strings("ignore_services", List.of("ntp", "dns", "dhcp", "snmp", "syslog")));
    long max = c.integer("max_pairs", 0, 0, 100_000_000);
    long windowMicros = window.toNanos() / 1000;
    this.windowMicros = windowMicros;
    this.firsts = ctx.compactState() ? ctx.table("beacon.first_calls", max, window, First.class) : null;
    this.pairs = ctx.deadlineCache("beacon.pairs", max, p -> p.first + windowMicros, (k, p, cause) -> {
      if (p != null && cause != RemovalCause.REPLACED) {
        judge(p);
      }
    }, StateStore.Codec.of(new TypeReference<PairKey>() {}, new TypeReference<Pair>() {}));
    this.site = Prevalence.of(ctx, "beacon", max, window, c);
    this.resolved = ctx.compactState() ? ctx.table("beacon.resolved", max, window, String.class) : null;
    this.resolvedCache = ctx.compactState() ? null
        : ctx.cache("beacon.resolved", max, window, null, StateStore.Codec.of(String.class, String.class));
  }

  @Override
  public void onEvent(Event e) {
    if (e instanceof org.bottrace.event.DnsEvent d) {
      if (d.query() != null) {
        for (String a : d.answers()) {
          answer(d.flow().origH(), d.query(), a);
        }
      }
    } else if (e instanceof org.bottrace.event.EveDns d) {
      for (org.bottrace.event.EveDns.Answer a : d.answers()) {
        if ("A".equals(a.rrtype()) || "AAAA".equals(a.rrtype())) {
          answer(d.flow().origH(), d.rrname() != null ? d.rrname() : a.rrname(), a.rdata());
        }
      }
    } else if (e instanceof ConnEvent c) {
      connection(c.flow(), c.ts(), Math.max(0, c.origBytes()), c.service(), c.uid(), "zeek");
    } else if (e instanceof org.bottrace.event.EveFlow f) {
      String app = f.appProto() == null || f.appProto().equals("failed") ? null : f.appProto();
      connection(f.flow(), f.ts(), Math.max(0, f.bytesToServer()), app, Long.toString(f.flowId()), "suricata");
    }
  }

  private static long hostAddress(String host, String address) {
    return org.bottrace.event.Addresses.key(host, address);
  }

  /** A DNS answer an internal host got: {@code address} is {@code name}'s, for that host. */
  private void answer(String host, String name, String address) {
    if (name == null || address == null || !org.bottrace.event.Addresses.isAddress(address) || !ctx.home().contains(host)) {
      return;
    }
    String n = org.bottrace.match.DomainSet.withoutRootDot(name.toLowerCase(Locale.ROOT));
    String a = org.bottrace.event.Addresses.canonical(address);
    if (resolvedCache != null) {
      resolvedCache.put(host + "|" + a, n);
    } else {
      resolved.put(hostAddress(host, a), resolved.now() + windowMicros, 0, n);
    }
  }

  /**
   * One finished connection, from Zeek's conn.log or Suricata's flow events. A connection both sensors saw
   * (the same 5-tuple either way round in the same second: what the community id says, without its SHA-1) counts once; a pair's sizes come from the sensor that gave its first
   * connection (Zeek counts payload bytes, Suricata packet bytes), the other's are not mixed in.
   */
  private void connection(FlowKey f, long ts, long bytes, String service, String uid, String sensor) {
    if (!ctx.home().contains(f.origH()) || ctx.home().contains(f.respH())
        || !("tcp".equals(f.proto()) || "udp".equals(f.proto()))) {
      return;
    }
    // a C&C behind a name whose addresses rotate is one server: pairs by the name the host resolved
    String name = null;
    if (resolvedCache != null) {
      name = resolvedCache.getIfPresent(f.origH() + "|" + f.respH());
    } else {
      int at = resolved.read(hostAddress(f.origH(), f.respH()), windowMicros);
      name = at >= 0 ? resolved.value(at) : null;
    }
    String server = name != null ? name : f.respH();
    PairKey key = new PairKey(f.origH(), server, f.respP(), f.proto());
    long k = firsts != null ? key.hash() : 0;
    if (firsts != null) {
      touched ^= firsts.touch(k); // its memory fetched while the site's tables are looked up
    }
    site.call(f.origH(), server, f.respP());
    long once = FlowKey.mix(f.tupleHash() + ts / 1_000_000L);
    Pair p = pairs.getIfPresent(key);
    if (p == null && firsts != null) {
      // a pair past its window that the cache has not expired yet is judged now, as the put of its
      // successor would have judged it
      pairs.asMap().remove(key);
      int slot = firsts.find(k);
      if (slot < 0) {
        First a = new First();
        a.dst = f.respH();
        a.name = name;
        a.bytes = bytes;
        a.service = service;
        a.uid = uid;
        a.sensor = sensor;
        a.once = once;
        firsts.put(k, ts + windowMicros, ts, a);
        return;
      }
      First a = firsts.value(slot);
      if (a.once == once) {
        return; // the other sensor's record of the same connection: still one
      }
      long start = firsts.aux(slot);
      firsts.remove(slot);
      p = newPair(f, a.dst, a.name, start, a.sensor);
      record(p, a.dst, start, a.bytes, a.service, a.uid, a.sensor, a.once);
      record(p, f.respH(), ts, bytes, service, uid, sensor, once);
      pairs.put(key, p);
      return;
    }
    if (p == null) {
      p = newPair(f, f.respH(), name, ts, sensor);
    }
    if (record(p, f.respH(), ts, bytes, service, uid, sensor, once)) {
      pairs.put(key, p);
    }
  }

  private static Pair newPair(FlowKey f, String dst, String name, long first, String sensor) {
    Pair p = new Pair();
    p.src = f.origH();
    p.dst = dst;
    p.name = name;
    p.port = f.respP();
    p.proto = f.proto();
    p.first = first;
    p.sensor = sensor;
    return p;
  }

  /**
   * One connection of a pair: its start and size counted unless it was counted already (the other
   * sensor's record of it) or the pair holds as many as are kept.
   *
   * @return whether the pair changed (and is to be put again)
   */
  private static boolean record(Pair p, String dst, long ts, long bytes, String service, String uid, String sensor,
      long once) {
    if (p.addresses.size() < 64) {
      p.addresses.add(dst);
    }
    int at = Arrays.binarySearch(p.seen, 0, p.seenCount, once);
    if (at >= 0 || p.n >= MAX_CONNECTIONS) {
      if (at < 0 && sensor.equals(p.sensor)) {
        p.last = Math.max(p.last, ts);
        if (service != null && p.service == null) {
          p.service = service;
        }
        return true;
      }
      return false; // counted already (the other sensor's record of it), or as many as are kept
    }
    p.seen = insert(p.seen, p.seenCount++, -at - 1, once);
    p.last = Math.max(p.last, ts);
    if (!sensor.equals(p.sensor)) {
      add(p, ts, -1); // the other sensor's: its start counts, its size is of another kind
    } else {
      if (service != null && p.service == null) {
        p.service = service;
      }
      add(p, ts, bytes);
      if (p.uids.size() < 8 && uid != null) {
        p.uids.add(uid);
      }
    }
    return true;
  }

  private static void add(Pair p, long start, long size) {
    if (p.n == p.starts.length) {
      p.starts = Arrays.copyOf(p.starts, p.n * 2);
      p.sizes = Arrays.copyOf(p.sizes, p.n * 2);
    }
    p.starts[p.n] = start;
    p.sizes[p.n++] = size;
  }

  /** {@code a} holding {@code n} values with {@code v} inserted at {@code i} (grown when full). */
  private static long[] insert(long[] a, int n, int i, long v) {
    long[] out = n == a.length ? Arrays.copyOf(a, n * 2) : a;
    System.arraycopy(a, i, out, i + 1, n - i);
    out[i] = v;
    return out;
  }

  @Override
  public void onEnd() {
    pairs.invalidateAll();
  }

  /** Quantile {@code q} of sorted values (linear between ranks). */
  static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }

  /**
   * How regular a series is, 0 to 1: the mean of 1 - |Bowley skewness| (weighed by the spread, the
   * interquartile range over the median, against {@code tolerance}) and 1 - (median absolute deviation /
   * median / tolerance): RITA's two measures made relative to the series' own median.
   *
   * @return [score, bowley, madm, median]
   */
  static double[] regularity(double[] values, double tolerance) {
    double[] v = values.clone();
    Arrays.sort(v);
    double q1 = quantile(v, 0.25);
    double q2 = quantile(v, 0.5);
    double q3 = quantile(v, 0.75);
    double bowley = q3 - q1 <= 0 ? 0 : (q1 + q3 - 2 * q2) / (q3 - q1);
    double[] dev = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      dev[i] = Math.abs(v[i] - q2);
    }
    Arrays.sort(dev);
    double madm = quantile(dev, 0.5);
    double rel = q2 <= 0 ? (madm == 0 ? 0 : 1) : madm / q2;
    // the skew of a series whose spread is a few percent of its size says nothing (310 +- 5 bytes): it
    // counts in proportion to the spread
    double spread = q2 <= 0 ? (q3 - q1 == 0 ? 0 : 1) : (q3 - q1) / q2;
    double skewed = Math.abs(bowley) * Math.min(1, spread / tolerance);
    double score = ((1 - skewed) + Math.max(0, 1 - rel / tolerance)) / 2;
    return new double[] {score, bowley, madm, q2};
  }

  private void judge(Pair p) {
    int n = p.n;
    if (n < minConnections || p.last - p.first < minSpan) {
      return;
    }
    if (p.service != null
        && Arrays.stream(p.service.toLowerCase(Locale.ROOT).split(",")).anyMatch(ignoreServices::contains)) {
      return; // a protocol that polls by design
    }
    String server = p.name != null ? p.name : p.dst;
    if (site.infrastructure(server, p.port)) {
      return; // most of the site calls it: infrastructure, not one bot's C&C
    }
    long[] starts = Arrays.copyOf(p.starts, n);
    Arrays.sort(starts);
    double[] gaps = new double[n - 1];
    for (int i = 1; i < n; i++) {
      gaps[i - 1] = (starts[i] - starts[i - 1]) / 1e6;
    }
    double[] sizes = Arrays.stream(p.sizes, 0, n).filter(x -> x >= 0).mapToDouble(x -> x).toArray();
    if (sizes.length < minConnections / 2) {
      return;
    }
    double[] t = regularity(gaps, 0.3);
    double[] s = regularity(sizes, 0.3);
    // persistence: the share of the span's hours with a connection
    long hours = Math.max(1, (starts[n - 1] - starts[0]) / 3_600_000_000L + 1);
    Set<Long> busy = new TreeSet<>();
    for (long x : starts) {
      busy.add((x - starts[0]) / 3_600_000_000L);
    }
    double persistence = (double) busy.size() / hours;
    double score = (t[0] + s[0]) / 2;
    if (score < minScore || persistence < minPersistence) {
      return;
    }
    ctx.emit(Finding.builder(NOTE, p.last)
        .rated(Finding.Severity.MEDIUM, r3(score))
        .msg(String.format(Locale.ROOT, "%s called %s:%d/%s %d times in %.1f h, every %.0f s (median, deviation"
            + " %.0f s), %.0f bytes each (median): beacon score %.2f", p.src, p.name == null ? p.dst
            : p.name + " (" + p.addresses.size() + " address" + (p.addresses.size() == 1 ? "" : "es") + ")", p.port, p.proto, n,
            (p.last - p.first) / 3.6e9, t[3], t[2], s[3], score))
        .sub(server + ":" + p.port)
        .conn(p.uids.isEmpty() ? null : p.uids.first(), new FlowKey(p.src, 0, p.dst, p.port, p.proto))
        .uids(p.uids)
        .src(p.src)
        .dst(p.dst)
        .server(p.dst, Finding.Role.CC)
        .port(p.port)
        .key(p.src + "|" + server + "|" + p.port)
        .name(p.name)
        .window(p.first / 1_000_000L * 1_000_000L)
        .evidence("connections", n)
        .evidence("span_s", Math.round((p.last - p.first) / 1e6))
        .evidence("interval_median_s", r3(t[3]))
        .evidence("interval_madm_s", r3(t[2]))
        .evidence("interval_bowley_skew", r3(t[1]))
        .evidence("size_median_bytes", r3(s[3]))
        .evidence("size_madm_bytes", r3(s[2]))
        .evidence("size_bowley_skew", r3(s[1]))
        .evidence("persistence", r3(persistence))
        .evidence("score", r3(score))
        .evidence("name", p.name)
        .evidence("addresses", p.name == null ? null : List.copyOf(p.addresses))
        .evidence("site_hosts_calling", site.callers(server, p.port))
        .evidence("site_hosts_seen", site.hosts())
        .evidence("service", p.service)
        .firstSeen(p.first)
        .evidence("last_seen", Micros.formatEpoch(p.last))
        .build());
  }

  private static double r3(double v) {
    return Math.round(v * 1000) / 1000.0;
  }

  /** Registers {@code C2::Beacon}. */
  public static final class Factory extends org.bottrace.detect.NamedFactory {
    public Factory() {
      super(NOTE, "an internal host calling an external server at regular intervals with regular sizes, for hours",
          (c, context) -> new Beacon(context, c));
    }
  }
}
