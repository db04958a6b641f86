package org.bottrace.detect.stage;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.detect.Detector;
import org.bottrace.detect.DetectorContext;
import org.bottrace.event.Addresses;
import org.bottrace.event.DnsEvent;
import org.bottrace.event.EveDns;
import org.bottrace.event.Event;
import org.bottrace.event.FlowKey;
import org.bottrace.event.Micros;
import org.bottrace.finding.Finding;
import org.bottrace.match.AddressFacts;
import org.bottrace.match.DomainSet;
import org.bottrace.match.PlainList;
import org.bottrace.match.ThreatLists;
import org.bottrace.state.StateStore;

/**
 * {@code DNS::Anomalies}: document 000's "DNS query anomalies after infection", from Zeek dns.log and
 * EVE dns (v1 to v3), as four notices:
 * <ul>
 *   <li>{@code DNS::ListedName}: a host looked up a name on a configured list (a C&amp;C domain list);
 *   <li>{@code DNS::NXDomainBurst}: a host got NXDOMAIN for names under many distinct domains in a short
 *       time (generated names); a host that answers DNS itself (a resolver) is left out;
 *   <li>{@code DNS::FastFlux}: a name whose answers churn through many addresses in many networks with
 *       short TTLs; names under {@code cdn_suffixes} are left out;
 *   <li>{@code DNS::CCResolution}: a bot (an {@code IRC::BotClient} finding) resolved its C&amp;C server's
 *       name just before connecting: the FQDN, the C&amp;C address and the DNS server that answered, which
 *       the traceback needs.
 * </ul>
 * A query both sensors saw is one answer: answers are keyed by (client, name, transaction id).
 */
public final class DnsAnomalies implements Detector {
  static final String NAME = "DNS::Anomalies";
  static final String LISTED = "DNS::ListedName";
  static final String NX = "DNS::NXDomainBurst";
  static final String FLUX = "DNS::FastFlux";
  static final String CC = "DNS::CCResolution";
  private static final int MAX_ITEMS = 512;

  /** A host's answers in the current NX window. */
  static final class NxWindow {
    long first;
    long last;
    long answers;
    TreeSet<String> nxNames = new TreeSet<>();
    TreeSet<String> seen = new TreeSet<>();
    String resolver;

    NxWindow() {}
  }

  /** A name's A/AAAA answers in the flux window. */
  static final class Flux {
    long first;
    long last;
    /** Answers that brought an address not seen before for this name. */
    long changes;
    TreeSet<String> addresses = new TreeSet<>();
    long maxTtl = -1;
    TreeSet<String> clients = new TreeSet<>();

    Flux() {}
  }

  /** A resolution: the name, who answered, when. */
  record Resolution(String name, String resolver, long ts, String uid) {}

  private final DetectorContext ctx;
  private final ThreatLists lists;
  private final Cache<String, NxWindow> nx;
  private final Cache<String, Flux> flux;
  private final int minLineTypes;
  private final double minEndUserShare;
  private final int minAsns;
  private final Cache<String, Resolution> resolutions;
  private final Cache<String, Boolean> resolvers;
  /** The answers seen (both sensors' record of one counts once): compact, or with {@code state.compact: false} a cache. */
  private final org.bottrace.state.CompactTable<Void> answered;
  private final Cache<String, Boolean> answeredCache;
  private static final long ANSWER_SEEN_IDLE = Duration.ofMinutes(2).toNanos() / 1000;
  private final long minNx;
  private final double minNxShare;
  private final long minAddresses;
  private final long minPrefixes;
  private final long maxTtl;
  private final long minChanges;
  private final long ccWindow;
  private final DomainSet cdn = new DomainSet();

  DnsAnomalies(DetectorContext ctx, ConfigNode c) throws ConfigException {
    this.ctx = ctx;
    this.lists = ThreatLists.of(c, ctx);
    ConfigNode n = c.child("nxdomain");
    Duration nxWindow = n.positiveDuration("window", Duration.ofMinutes(5));
    this.minNx = n.integer("min_domains", 20, 2, 1_000_000);
    this.minNxShare = n.number("min_share", 0.1, 0, 1);
    n.finish();
    ConfigNode f = c.child("fast_flux");
    Duration fluxWindow = f.positiveDuration("window", Duration.ofHours(1));
    this.minAddresses = f.integer("min_addresses", 10, 2, 1_000_000);
    this.minPrefixes = f.integer("min_prefixes", 5, 1, 1_000_000);
    this.maxTtl = f.integer("max_ttl", 300, 0, 1_000_000_000);
    this.minChanges = f.integer("min_changes", 3, 1, 1_000_000);
    this.minLineTypes = (int) f.integer("min_line_types", 3, 1, 1_000);
    this.minEndUserShare = f.number("min_end_user_share", 0.5, 0, 1);
    this.minAsns = (int) f.integer("min_asns", 3, 1, 1_000);
    for (String s : f.strings("cdn_suffixes", List.of("akamaiedge.net", "akamai.net", "akadns.net",
        "cloudfront.net", "fastly.net", "edgekey.net", "azureedge.net", "cdn.cloudflare.net", "googlevideo.com",
        "llnwd.net", "trafficmanager.net", "amazonaws.com"))) {
      cdn.add(s, s);
    }
    f.finish();
    this.ccWindow = c.positiveDuration("cc_window", Duration.ofMinutes(10)).toNanos() / 1000;
    long max = c.integer("max_entries", 0, 0, 100_000_000);
    long nxMicros = nxWindow.toNanos() / 1000;
    long fluxMicros = fluxWindow.toNanos() / 1000;
    this.nx = ctx.deadlineCache("dns.nx_windows", max, w -> w.first + nxMicros, (k, w, cause) -> {
      if (w != null && cause != RemovalCause.REPLACED) {
        reportNx(k, w);
      }
    }, StateStore.Codec.of(String.class, NxWindow.class));
    this.flux = ctx.deadlineCache("dns.flux_names", max, w -> w.first + fluxMicros, (k, w, cause) -> {
      if (w != null && cause != RemovalCause.REPLACED) {
        reportFlux(k, w);
      }
    }, StateStore.Codec.of(String.class, Flux.class));
    this.resolutions = ctx.cache("dns.resolutions", max, Duration.ofNanos(ccWindow * 1000 * 2), null,
        StateStore.Codec.of(String.class, Resolution.class));
    this.resolvers = ctx.cache("dns.resolvers", max, Duration.ofHours(24), null,
        StateStore.Codec.of(String.class, Boolean.class));
    this.answered = ctx.compactState() ? ctx.table("dns.answers_seen", max, Duration.ofMinutes(2), Void.class) : null;
    this.answeredCache = ctx.compactState() ? null : ctx.cache("dns.answers_seen", max, Duration.ofMinutes(2), null,
        StateStore.Codec.of(String.class, Boolean.class));
  }

  @Override
  public void onEvent(Event e) {
    if (e instanceof DnsEvent d) {
      List<String[]> records = new ArrayList<>();
      for (int i = 0; i < d.answers().size(); i++) {
        String a = d.answers().get(i);
        // Zeek's TTLs are intervals (here in microseconds); EVE's are seconds
        long ttl = i < d.ttls().size() && d.ttls().get(i) != null ? d.ttls().get(i) / 1_000_000L : -1;
        records.add(new String[] {a, String.valueOf(ttl)});
      }
      answer(d.flow(), d.ts(), d.query(), d.qtypeName(), d.rcodeName(), d.transId(), records, d.uid());
    } else if (e instanceof EveDns d && !d.query()) {
      List<String[]> records = new ArrayList<>();
      for (EveDns.Answer a : d.answers()) {
        if ("A".equals(a.rrtype()) || "AAAA".equals(a.rrtype()) || "CNAME".equals(a.rrtype())) {
          records.add(new String[] {a.rdata(), String.valueOf(a.ttl())});
        }
      }
      answer(d.flow(), d.ts(), d.rrname(), d.rrtype(), d.rcode(), d.dnsId(), records, d.flowRef());
    }
  }

  private void answer(FlowKey f, long ts, String query, String qtype, String rcode, long id, List<String[]> records,
      String uid) {
    if (query == null || query.isEmpty() || rcode == null) {
      return;
    }
    String name = DomainSet.normalise(query);
    // a name with a byte no DNS name holds is still asked of the lists, by the labels they name
    String looked = name != null ? name : DomainSet.lookupForm(query);
    if (looked == null) {
      return;
    }
    if (seenBefore(f.origH(), looked, id, ts)) {
      return;
    }
    if (resolvers.getIfPresent(f.respH()) == null) { // a read keeps it as long as a write does
      resolvers.put(f.respH(), Boolean.TRUE);
    }
    listed(f, ts, looked, qtype, rcode, records, uid);
    if (name == null) {
      return; // not counted for NXDOMAIN bursts or fast flux: no such name can be registered
    }
    boolean reverse = name.endsWith(".in-addr.arpa") || name.endsWith(".ip6.arpa") || "PTR".equals(qtype);
    if (!reverse && resolvers.getIfPresent(f.origH()) == null) {
      NxWindow w = nx.getIfPresent(f.origH());
      boolean fresh = w == null;
      if (fresh) {
        w = new NxWindow();
        w.first = ts;
      }
      w.last = Math.max(w.last, ts);
      w.answers++;
      w.resolver = f.respH();
      if ("NXDOMAIN".equals(rcode) && w.nxNames.size() < MAX_ITEMS) {
        w.nxNames.add(name);
      }
      if (fresh) { // changed in place otherwise: its deadline is its first answer's
        nx.put(f.origH(), w);
      }
    }
    boolean viaCdn = cdn.lookup(name) != null;
    for (String[] r : records) {
      String n = Addresses.isAddress(r[0]) ? null : DomainSet.normalise(r[0]);
      viaCdn |= n != null && cdn.lookup(n) != null; // a CNAME into a CDN
    }
    Flux x = viaCdn ? null : flux.getIfPresent(name);
    boolean stored = x != null;
    boolean changed = false;
    for (String[] r : records) {
      if (!Addresses.isAddress(r[0])) {
        continue;
      }
      String ip = Addresses.canonical(r[0]);
      // the first resolution is kept: the one before the connection, not a refresh after it
      resolutions.asMap().putIfAbsent(f.origH() + "|" + ip, new Resolution(name, f.respH(), ts, uid));
      long ttl = Long.parseLong(r[1]);
      if (viaCdn) {
        continue;
      }
      if (ttl < 0 || ttl > maxTtl) {
        if (x != null) {
          x.maxTtl = Math.max(x.maxTtl, ttl < 0 ? Long.MAX_VALUE : ttl); // disqualified
        }
        continue; // a name with a long TTL is not fast flux: no state is made for it
      }
      if (x == null) {
        x = new Flux();
        x.first = ts;
      }
      x.last = Math.max(x.last, ts);
      if (x.addresses.size() < MAX_ITEMS && x.addresses.add(ip)) {
        changed = true;
      }
      x.maxTtl = Math.max(x.maxTtl, ttl);
      if (x.clients.size() < 32) {
        x.clients.add(f.origH());
      }
    }
    if (x != null) {
      x.changes += changed ? 1 : 0;
      if (!stored) { // changed in place otherwise: its deadline is its first answer's
        flux.put(name, x);
      }
    }
  }

  /** Whether this answer (host, name, id, second) was seen already, by this sensor or another; remembers it. */
  private boolean seenBefore(String host, String name, long id, long ts) {
    if (answeredCache != null) {
      String once = host + "|" + name + "|" + id + "|" + (ts / 1_000_000L);
      if (answeredCache.getIfPresent(once) != null) {
        return true;
      }
      answeredCache.put(once, Boolean.TRUE);
      return false;
    }
    long k = FlowKey.mix(Addresses.key(host, name) + FlowKey.mix(id * 0x9E3779B97F4A7C15L + ts / 1_000_000L));
    if (answered.read(k, ANSWER_SEEN_IDLE) >= 0) {
      return true;
    }
    answered.put(k, answered.now() + ANSWER_SEEN_IDLE, 0, null);
    return false;
  }

  private void listed(FlowKey f, long ts, String name, String qtype, String rcode, List<String[]> records,
      String uid) {
    for (int i = 0; i < lists.sources().size(); i++) {
      PlainList l = lists.sources().get(i).get();
      String entry = l.domains().matchedEntry(name);
      if (entry == null) {
        continue;
      }
      List<String> addrs = new ArrayList<>();
      for (String[] r : records) {
        addrs.add(r[0]);
      }
      ctx.emit(Finding.builder(LISTED, ts)
          .stage(Finding.Stage.DNS_ANOMALY)
          .rated("cc".equals(lists.roles().get(i)) ? Finding.Severity.HIGH : Finding.Severity.MEDIUM, 0.8)
          .msg(f.origH() + " looked up " + name + ", on list " + l.name() + " (" + entry + "), answered " + rcode
              + (addrs.isEmpty() ? "" : " " + String.join(",", addrs)) + " by " + f.respH())
          .sub(l.name() + ":" + entry)
          .conn(uid, f)
          .src(f.origH())
          .dst(f.respH())
          .port(f.respP())
          .name(name)
          .key(f.origH() + "|" + l.name() + "|" + entry)
          .window(ts / 3_600_000_000L * 3_600_000_000L)
          .evidence("client", f.origH())
          .evidence("query", name)
          .evidence("qtype", qtype)
          .evidence("rcode", rcode)
          .evidence("answers", addrs.isEmpty() ? null : addrs)
          .evidence("dns_server", f.respH())
          .evidence("list", l.name())
          .evidence("role", lists.roles().get(i))
          .evidence("entry", entry)
          .fact("name:" + name)
          .build());
    }
  }

  private void reportNx(String host, NxWindow w) {
    double share = (double) w.nxNames.size() / Math.max(1, w.answers);
    TreeSet<String> domains = new TreeSet<>();
    for (String n : w.nxNames) {
      int dot = n.lastIndexOf('.', n.lastIndexOf('.') - 1);
      domains.add(dot < 0 ? n : n.substring(dot + 1));
    }
    // generated names are each a domain of their own; a wrong search domain gives many names under one
    if (domains.size() < minNx || share < minNxShare || resolvers.getIfPresent(host) != null) {
      return;
    }
    List<String> sample = new ArrayList<>(w.nxNames).subList(0, Math.min(10, w.nxNames.size()));
    ctx.emit(Finding.builder(NX, w.last)
          .stage(Finding.Stage.DNS_ANOMALY)
          .rated(Finding.Severity.MEDIUM, 0.6) // typos and dead links make bursts too
        .msg(String.format(Locale.ROOT, "%s got NXDOMAIN for %d distinct names in %.0f s (%.0f%% of its answers),"
            + " under %d domains", host, w.nxNames.size(), (w.last - w.first) / 1e6, 100 * share, domains.size()))
        .src(host)
        .dst(w.resolver)
        .key(host)
        .window(w.first / 1_000_000L * 1_000_000L)
        .evidence("client", host)
        .evidence("client_internal", ctx.home().contains(host))
        .evidence("nxdomain_names", w.nxNames.size())
        .evidence("answer_count", w.answers)
        .evidence("nxdomain_share", Math.round(share * 1000) / 1000.0)
        .evidence("domains", domains.size())
        .evidence("sample", sample)
        .evidence("dns_server", w.resolver)
        .firstSeen(w.first)
        .evidence("last_seen", Micros.formatEpoch(w.last))
        .build());
  }

  private void reportFlux(String name, Flux x) {
    TreeSet<String> prefixes = new TreeSet<>();
    for (String a : x.addresses) {
      String p = ScanPropagation.prefix(a, 2);
      prefixes.add(p == null ? a : p);
    }
    if (x.addresses.size() < minAddresses || prefixes.size() < minPrefixes || x.changes < minChanges
        || x.maxTtl < 0 || x.maxTtl > maxTtl) {
      return;
    }
    // CDNs, clouds and server pools (pool.ntp.org) churn through many addresses in many networks too; a
    // flux network's addresses are compromised end-user machines. Only what the DNS tells of their lines
    // (S25R on their PTR names, an NXDOMAIN answer to a PTR query) decides: without enough of it, nothing
    // is said.
    AddressFacts en;
    try {
      en = ctx.shared(AddressFacts.SHARED, () -> null);
    } catch (java.io.IOException cannot) {
      en = null;
    }
    int known = 0;
    int endUser = 0;
    List<String> why = new ArrayList<>();
    for (String a : x.addresses) {
      AddressFacts.LineType v = en == null ? null : en.lineType(a);
      if (v != null && v.known()) {
        known++;
        if (v.endUser()) {
          endUser++;
          if (why.size() < 5) {
            why.add(a + ": " + v.why());
          }
        }
      }
    }
    if (known < minLineTypes || endUser < minEndUserShare * known || endUser == 0) {
      return;
    }
    // with an ASN database, the operators behind the answers: a CDN's or cloud's networks are one
    TreeSet<Long> asns = new TreeSet<>();
    if (en != null && en.hasAsn()) {
      for (String a : x.addresses) {
        long as = en.asn(a);
        if (as >= 0) {
          asns.add(as);
        }
      }
      if (asns.size() < minAsns) {
        return;
      }
    }
    ctx.emit(Finding.builder(FLUX, x.last)
          .stage(Finding.Stage.DNS_ANOMALY)
          .rated(Finding.Severity.MEDIUM, 0.7)
        .msg(String.format(Locale.ROOT, "%s resolved to %d addresses in %d /16 networks%s within %.0f s, TTL at most"
            + " %d s, %d of %d on end-user lines", name, x.addresses.size(), prefixes.size(),
            asns.isEmpty() ? "" : " of " + asns.size() + " operators (ASNs)", (x.last - x.first) / 1e6, x.maxTtl,
            endUser, known))
        .sub(name)
        .src(x.clients.first())
        .name(name)
        .key(name)
        .window(x.first / 1_000_000L * 1_000_000L)
        .evidence("name", name)
        .evidence("address_count", x.addresses.size())
        .evidence("networks_16", prefixes.size())
        .evidence("max_ttl", x.maxTtl)
        .evidence("answers_with_new_addresses", x.changes)
        .evidence("asns", asns.isEmpty() ? null : List.copyOf(asns))
        .evidence("line_types_known", known)
        .evidence("end_user_addresses", endUser)
        .evidence("end_user_share", Math.round(1000.0 * endUser / known) / 1000.0)
        .evidence("end_user_why", why)
        .evidence("sample", new ArrayList<>(x.addresses).subList(0, Math.min(10, x.addresses.size())))
        .evidence("clients", List.copyOf(x.clients))
        .firstSeen(x.first)
        .evidence("last_seen", Micros.formatEpoch(x.last))
        .build());
  }

  /**
   * A bot's session with its C&amp;C (a finding of stage cc_contact naming its server as the C&amp;C:
   * IRC::BotClient, IRC::FlowBotnet; not a list's match): which name it resolved to that address, and who
   * answered.
   */
  @Override
  public void onFinding(Finding f) {
    if (f.stage() != Finding.Stage.CC_CONTACT || f.src() == null || f.dst() == null
        || !f.servers().contains(new Finding.Server(f.dst(), Finding.Role.CC))) {
      return;
    }
    Resolution r = resolutions.getIfPresent(f.src() + "|" + Addresses.canonical(f.dst()));
    long connected = f.firstSeen() >= 0 ? f.firstSeen() : f.ts();
    if (r == null || r.ts() > connected || connected - r.ts() > ccWindow) {
      return;
    }
    ctx.emit(Finding.builder(CC, r.ts())
        .stage(Finding.Stage.CC_RESOLUTION)
        .rated(Finding.Severity.LOW, 0.9) // context for the traceback of a verdict written already
        .server(f.dst(), Finding.Role.CC)
        .server(r.resolver(), Finding.Role.DNS)
        .msg(String.format(Locale.ROOT, "%s resolved its C&C %s as %s (answered by %s), %.3f s before connecting",
            f.src(), f.dst(), r.name(), r.resolver(), (connected - r.ts()) / 1e6))
        .sub(r.name())
        .src(f.src())
        .dst(f.dst())
        .port(f.p())
        .uid(r.uid())
        .name(r.name())
        .key(f.src() + "|" + r.name() + "|" + f.dst())
        .window(r.ts() / 1_000_000L * 1_000_000L)
        .evidence("client", f.src())
        .evidence("fqdn", r.name())
        .evidence("cc_server", f.dst())
        .evidence("cc_port", f.p())
        .evidence("dns_server", r.resolver())
        .evidence("seconds_before_connect", Math.round((connected - r.ts()) / 1e3) / 1e3)
        .fact("fqdn:" + r.name())
        .build());
  }

  @Override
  public void onEnd() {
    nx.invalidateAll();
    flux.invalidateAll();
  }

  /** Registers {@code DNS::Anomalies}. */
  public static final class Factory extends org.bottrace.detect.NamedFactory {
    public Factory() {
      super(NAME, "DNS::ListedName, DNS::NXDomainBurst, DNS::FastFlux and DNS::CCResolution (the DNS"
          + " anomalies that follow an infection)", (c, context) -> new DnsAnomalies(context, c));
    }
  }
}
