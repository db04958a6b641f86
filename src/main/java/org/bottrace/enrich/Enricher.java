package org.bottrace.enrich;

import com.github.benmanes.caffeine.cache.Cache;
import java.io.IOException;
import java.nio.file.Path;
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
import org.bottrace.event.Addresses;
import org.bottrace.event.DnsEvent;
import org.bottrace.event.EveDns;
import org.bottrace.event.Event;
import org.bottrace.finding.Finding;
import org.bottrace.match.AddressFacts;
import org.bottrace.match.PlainList;
import org.bottrace.match.ThreatLists;
import org.bottrace.state.Shared;
import org.bottrace.state.StateStore;

/**
 * Document 004's traceback enrichment of the servers a notice names (C&amp;C, download and DNS servers):
 * list memberships with their roles, the PTR name seen for it and the S25R verdict, open-IRC-server
 * evidence, the country, and from these the administrator class (professional, end_user,
 * bulletproof_or_unmanaged, unknown) with its reasons, and whether a trace through it is feasible.
 *
 * <p>Passive DNS comes from the logs: PTR answers give a server's reverse name, an NXDOMAIN answer to its
 * PTR query is evidence it has none (S25R rule 0), and A/AAAA answers for the PTR name tell whether it
 * resolves back. Open-IRC evidence comes from IRC::CCServer findings: a server on a default IRC port
 * (6660-6669) whose bots registered without PASS is an uncustomised, openly run server.
 *
 * <p>Class order, when signs disagree (all are shown under {@code conflicts}): bulletproof_or_unmanaged
 * (a list with role bulletproof, by address or by its network operator's AS) first, since such a host
 * ignores complaints whatever else is true; then end_user (an S25R rule, a subscriber's line in the
 * Connection-Type database); then professional (open IRC server, a corporate network); else unknown.
 */
public final class Enricher implements AddressFacts {
  private static final int MAX_NAMES = 8;

  private final ThreatLists lists;
  private final S25r s25r;
  private final GeoCountry geo;
  /** The ASN database, or null. */
  private GeoAsn asn;
  /** The day the listing history is read as of: the finding's, in log time (null: the latest load). */
  private java.time.LocalDate asOf;
  private GeoConnection line;
  private final Cache<String, String> ptr;
  private final Cache<String, Boolean> noPtr;
  private final Cache<String, TreeSet<String>> forward;
  private final Cache<String, Map<String, Object>> openIrc;
  /** Address to the names that resolved to it, with when, the TTL and the DNS server that answered. */
  private final Cache<String, LinkedHashMap<String, NameSeen>> names;

  /** A name seen resolving to an address. */
  record NameSeen(long first, long last, long ttl, String server) {}

  private ListHistory history;
  /** Active lookups, or null (the default: passive DNS only). */
  ActiveDns active;
  private long longLived = 270;
  private long shortLived = 7;

  private Enricher(ThreatLists lists, S25r s25r, GeoCountry geo, StateStore store, long max) {
    this.lists = lists;
    this.s25r = s25r;
    this.geo = geo;
    Duration keep = Duration.ofDays(7);
    this.ptr = store.newCache("enrich.ptr", max, keep, null, StateStore.Codec.of(String.class, String.class));
    this.noPtr = store.newCache("enrich.no_ptr", max, keep, null, StateStore.Codec.of(String.class, Boolean.class));
    this.forward = store.newCache("enrich.forward", max, keep, null, StateStore.Codec.of(
        new com.fasterxml.jackson.core.type.TypeReference<String>() {},
        new com.fasterxml.jackson.core.type.TypeReference<TreeSet<String>>() {}));
    this.names = store.newCache("enrich.names", max, keep, null, StateStore.Codec.of(
        new com.fasterxml.jackson.core.type.TypeReference<String>() {},
        new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, NameSeen>>() {}));
    this.openIrc = store.newCache("enrich.open_irc", max, keep, null, StateStore.Codec.of(
        new com.fasterxml.jackson.core.type.TypeReference<String>() {},
        new com.fasterxml.jackson.core.type.TypeReference<LinkedHashMap<String, Object>>() {}));
  }

  /**
   * Builds the enricher from the {@code enrichment:} section.
   *
   * @throws ConfigException naming the key when a list, the whitelist or the GeoIP database is wrong
   */
  public static Enricher create(ConfigNode c, StateStore store, Shared ctx, long maxEntries)
      throws ConfigException {
    return create(c, store, ctx, maxEntries, History.RECORD);
  }

  /**
   * What a run does with the listing history: CHECK does not open it (bottrace check writes nothing); READ
   * reads it (a replay: its dates are the logs', so today's load is not recorded); RECORD also records
   * today's load of every list (a live run).
   */
  public enum History { CHECK, READ, RECORD }

  /** As {@link #create(ConfigNode, StateStore, Shared, long)}, with the history used as {@code use} says. */
  public static Enricher create(ConfigNode c, StateStore store, Shared ctx, long maxEntries, History use)
      throws ConfigException {
    boolean checkOnly = use == History.CHECK;
    ThreatLists lists = ThreatLists.of(c, ctx);
    S25r s;
    try {
      s = new S25r(c.strings("s25r_whitelist", List.of()));
    } catch (IllegalArgumentException e) {
      throw c.error("s25r_whitelist", e.getMessage());
    }
    GeoCountry geo = database(c, "geoip", GeoCountry::open, "a MaxMind Country or City database");
    GeoAsn asn = database(c, "asn", GeoAsn::open, "a MaxMind ASN database");
    GeoConnection line = database(c, "connection_type", GeoConnection::open, "a MaxMind Connection-Type database");
    ConfigNode ad = c.child("active_dns");
    boolean activeOn = ad.bool("enabled", false);
    String server = ad.string("server", null);
    double rate = ad.number("rate_per_second", 2, 0.01, 1000);
    Duration timeout = ad.positiveDuration("timeout", Duration.ofSeconds(2));
    Duration keep = ad.positiveDuration("cache", Duration.ofHours(6));
    ad.finish();
    Path historyPath = c.path("history");
    long longLived = c.integer("long_lived_days", 270, 1, 100_000);
    long shortLived = c.integer("short_lived_days", 7, 1, 100_000);
    c.finish();
    Enricher e = new Enricher(lists, s, geo, store, maxEntries);
    e.asn = asn;
    e.line = line;
    try {
      if (ctx != null) {
        ctx.shared(AddressFacts.SHARED, () -> e);
      }
    } catch (java.io.IOException cannot) {
      throw new IllegalStateException(cannot); // the maker does no I/O
    }
    if (activeOn) {
      e.active = ActiveDns.jndi(server, timeout, rate, keep);
    }
    e.longLived = longLived;
    e.shortLived = shortLived;
    if (historyPath != null && checkOnly) {
      // check writes nothing: the database is opened (and today's loads recorded) by a run
      java.nio.file.Path dir = historyPath.toAbsolutePath().getParent();
      if (dir == null || !java.nio.file.Files.isDirectory(dir)) {
        throw c.error("history", "no such folder for the list history: " + dir);
      }
    } else if (historyPath != null) {
      try {
        e.history = ListHistory.open(historyPath);
        if (use == History.RECORD) {
          // today's load of every configured list is part of its history
          java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneOffset.UTC);
          for (PlainList l : lists.lists()) {
            e.history.record(l.name(), today, l.entries());
          }
        }
      } catch (java.sql.SQLException ex) {
        throw c.error("history", "cannot use the list history " + historyPath + ": " + ex.getMessage());
      }
    }
    return e;
  }

  /** Whether a GeoIP database is configured (the startup warning says so when not). */
  public boolean hasGeo() {
    return geo != null;
  }

  /** Passive DNS from the logs. */
  public void observe(Event e) {
    if (e instanceof DnsEvent d) {
      List<Long> ttls = new ArrayList<>();
      for (Long t : d.ttls()) {
        ttls.add(t == null ? -1 : t / 1_000_000L); // Zeek: intervals
      }
      dns(d.query(), d.qtypeName(), d.rcodeName(), d.answers(), ttls, d.ts(), d.flow().respH());
    } else if (e instanceof EveDns d && !d.query()) {
      List<String> answers = new ArrayList<>();
      List<Long> ttls = new ArrayList<>();
      for (EveDns.Answer a : d.answers()) {
        answers.add(a.rdata());
        ttls.add(a.ttl());
      }
      dns(d.rrname(), d.rrtype(), d.rcode(), answers, ttls, d.ts(), d.flow().respH());
    }
  }

  private void dns(String query, String qtype, String rcode, List<String> answers, List<Long> ttls, long ts,
      String server) {
    if (query == null || rcode == null) {
      return;
    }
    String q = query.toLowerCase(Locale.ROOT);
    String reversed = reverseOf(q);
    if (reversed != null) {
      if ("NXDOMAIN".equals(rcode)) {
        noPtr.put(reversed, Boolean.TRUE);
      } else if ("NOERROR".equals(rcode)) {
        for (String a : answers) {
          if (a != null && !a.isEmpty() && !Addresses.isAddress(a)) {
            ptr.put(reversed, org.bottrace.match.DomainSet.withoutRootDot(a.toLowerCase(Locale.ROOT)));
            break;
          }
        }
      }
      return;
    }
    if ("NOERROR".equals(rcode) && ("A".equals(qtype) || "AAAA".equals(qtype))) {
      String name = org.bottrace.match.DomainSet.withoutRootDot(q);
      for (int i = 0; i < answers.size(); i++) {
        String a = answers.get(i);
        if (a != null && Addresses.isAddress(a)) {
          String ip = Addresses.canonical(a);
          TreeSet<String> s = forward.get(name, k -> new TreeSet<>());
          if (s.size() < MAX_NAMES * 4) {
            s.add(ip);
          }
          LinkedHashMap<String, NameSeen> seen = names.get(ip, k -> new LinkedHashMap<>());
          NameSeen was = seen.get(name);
          long ttl = i < ttls.size() && ttls.get(i) != null ? ttls.get(i) : -1;
          if (was != null) {
            seen.put(name, new NameSeen(was.first(), Math.max(was.last(), ts), ttl, server));
          } else if (seen.size() < MAX_NAMES) {
            seen.put(name, new NameSeen(ts, ts, ttl, server));
          }
        }
      }
    }
  }

  /** The address a PTR query name stands for (IPv4 in-addr.arpa only), or null. */
  static String reverseOf(String q) {
    String n = q.endsWith(".") ? q.substring(0, q.length() - 1) : q;
    if (!n.endsWith(".in-addr.arpa")) {
      return null;
    }
    String[] p = n.substring(0, n.length() - ".in-addr.arpa".length()).split("\\.");
    if (p.length != 4) {
      return null;
    }
    String ip = p[3] + "." + p[2] + "." + p[1] + "." + p[0];
    return Addresses.isAddress(ip) ? ip : null;
  }

  /** Findings that show an IRC server's administration (IRC::CCServer's) teach which are open IRC servers. */
  public void learn(Finding f) {
    Finding.IrcServer srv = f.ircServer();
    if (srv == null || srv.ip() == null) {
      return;
    }
    Map<String, Object> ev = new LinkedHashMap<>();
    boolean defaultPort = srv.port() >= 6660 && srv.port() <= 6669;
    Boolean pass = srv.pass();
    ev.put("port", srv.port());
    ev.put("default_port", defaultPort);
    if (pass != null) {
      ev.put("pass", pass); // not visible without irc_cmd.log: left out (one type per field)
    }
    ev.put("pass_visible", pass != null);
    ev.put("open", defaultPort && !Boolean.TRUE.equals(pass));
    ev.put("why", !defaultPort ? "port " + srv.port() + " is not a default IRC port: customised by the herder"
        : Boolean.TRUE.equals(pass) ? "the bots had to give PASS: customised by the herder"
        : Boolean.FALSE.equals(pass) ? "default port " + srv.port() + " and the bots registered without PASS"
        : "default port " + srv.port() + " (PASS not visible without bottrace's irc_cmd.log: port evidence alone)");
    openIrc.put(Addresses.canonical(srv.ip()), ev);
  }

  /** The enrichment of a finding: every server it names, with its role in the finding. */
  public Map<String, Object> enrich(Finding f) {
    // an incident's listings as they were on its day, whatever was loaded since (replays of old logs
    // give the same classes on any day)
    asOf = java.time.Instant.ofEpochSecond(Math.floorDiv(f.ts(), 1_000_000L)).atZone(java.time.ZoneOffset.UTC)
        .toLocalDate();
    Map<String, String> servers = new LinkedHashMap<>();
    for (Finding.Server srv : f.servers()) {
      servers.putIfAbsent(srv.ip(), srv.role().label());
    }
    // a list of servers, each with its address as a field: no address is a field name (a SIEM maps one
    // path per field, and an address per path would grow its mapping without end)
    List<Map<String, Object>> out = new ArrayList<>();
    java.util.Set<String> done = new java.util.HashSet<>();
    for (Map.Entry<String, String> s : servers.entrySet()) {
      if (s.getKey() != null && Addresses.isAddress(s.getKey()) && done.add(Addresses.canonical(s.getKey()))) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ip", Addresses.canonical(s.getKey()));
        m.putAll(server(Addresses.canonical(s.getKey()), s.getValue()));
        out.add(m);
      }
    }
    return out.isEmpty() ? Map.of() : Map.of("servers", out);
  }

  /**
   * The enrichment of one server given by the user (bottrace report --servers): as for a notice, with a
   * PTR name the user knows (or null).
   */
  public Map<String, Object> describe(String ip, String role, String ptrName) {
    asOf = null; // a server the user names: as of the latest load
    String a = Addresses.canonical(ip);
    if (ptrName != null && !ptrName.isBlank()) {
      ptr.put(a, org.bottrace.match.DomainSet.withoutRootDot(ptrName.toLowerCase(Locale.ROOT)));
    }
    return server(a, role);
  }

  /**
   * What the DNS says of an address's line, S25R's verdict: from the PTR answers in the logs (an NXDOMAIN
   * answer is rule 0), or active DNS when configured; {@code m} gets the PTR name, its source and whether
   * it resolves back.
   */
  private S25r.Verdict lineOf(String ip, Map<String, Object> m) {
    String name = ptr.getIfPresent(ip);
    boolean none = noPtr.getIfPresent(ip) != null;
    String source = name != null || none ? "passive" : null;
    if (name == null && !none && active != null && ip.indexOf(':') < 0) {
      ActiveDns.Answer a = active.ptr(ip);
      if (a != null && a.state().equals("found")) {
        name = a.values().get(0);
        ptr.put(ip, name);
        source = "active";
      } else if (a != null && a.state().equals("nxdomain")) {
        none = true;
        noPtr.put(ip, Boolean.TRUE);
        source = "active";
      }
    }
    Boolean confirmed = null;
    if (name != null) {
      TreeSet<String> f = forward.getIfPresent(name);
      confirmed = f == null ? null : f.contains(ip);
      if (confirmed == null && active != null) {
        ActiveDns.Answer a = active.addresses(name);
        if (a != null && !a.state().equals("unknown")) {
          confirmed = a.values().contains(ip);
        }
      }
      m.put("ptr", name);
      if (confirmed != null) {
        m.put("forward_confirmed", confirmed); // left out when no forward answer was seen (one type per field)
      }
    }
    if (source != null) {
      m.put("ptr_source", source);
    }
    return s25r.test(name, name == null && none, Boolean.FALSE.equals(confirmed));
  }

  /** The end-user test of an address as the DNS seen so far (and active DNS when configured) says. */
  @Override
  public AddressFacts.LineType lineType(String ip) {
    S25r.Verdict v = lineOf(Addresses.canonical(ip), new LinkedHashMap<>());
    return new AddressFacts.LineType(v.state(), v.endUser(), v.why());
  }

  private interface Opener<T> {
    T open(Path p) throws IOException;
  }

  /** The MaxMind database a key names, or null when it names none; a configuration error when unusable. */
  private static <T> T database(ConfigNode c, String key, Opener<T> open, String what) throws ConfigException {
    Path p = c.path(key);
    if (p == null) {
      return null;
    }
    try {
      return open.open(p);
    } catch (java.nio.file.NoSuchFileException | java.io.FileNotFoundException e) {
      throw c.error(key, "no such file: " + p);
    } catch (IOException | IllegalArgumentException e) {
      throw c.error(key, "not " + what + ": " + p + ": " + e.getMessage());
    }
  }

  @Override
  public long asn(String ip) {
    GeoAsn.Asn as = asn == null ? null : asn.lookup(ip);
    return as == null ? -1 : as.number();
  }

  @Override
  public boolean hasAsn() {
    return asn != null;
  }

  private Map<String, Object> server(String ip, String role) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("role", role);
    GeoAsn.Asn as = asn == null ? null : asn.lookup(ip);
    if (as != null) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("number", as.number());
      a.put("organization", as.organization());
      a.put("source", asn.source());
      m.put("asn", a);
    }
    String connection = line == null ? null : line.lookup(ip);
    if (connection != null) {
      m.put("connection_type", connection);
      m.put("connection_type_source", line.source());
    }
    String country = geo == null ? null : geo.country(ip);
    if (country != null) {
      m.put("country", country);
      m.put("country_source", geo.edition() + " built " + geo.buildDate());
    }
    List<Map<String, Object>> listed = new ArrayList<>();
    List<String[]> lifetime = new ArrayList<>();
    boolean bulletproof = false;
    for (int i = 0; i < lists.sources().size(); i++) {
      PlainList l = lists.sources().get(i).get();
      String entry = l.ips().lookup(ip);
      boolean byAsn = false;
      if (entry == null && as != null && l.asns().containsKey(as.number())) {
        entry = l.asns().get(as.number()); // its network operator is listed (Spamhaus ASN-DROP)
        byAsn = true;
      }
      if (entry != null) {
        Map<String, Object> x = new LinkedHashMap<>();
        String listRole = lists.roles().get(i);
        x.put("list", l.name());
        x.put("role", listRole);
        x.put("entry", entry);
        if (byAsn) {
          x.put("via", "asn " + as.number());
        }
        x.put("version", lists.sources().get(i).version());
        ListHistory.Listing h = byAsn ? null : listing(l.name(), l.ips().matchedNetwork(ip));
        if (h != null) {
          x.put("first_listed", h.first().toString());
          x.put("last_listed", h.last().toString());
          x.put("listed_days", h.days());
          x.put("still_listed", h.current());
          x.put("continuously", h.continuous());
          lifetime(h, listRole, lifetime);
        }
        listed.add(x);
        bulletproof |= "bulletproof".equals(listRole);
      }
    }
    // lists it was on and is no longer (the history keeps them): a short listing then removal
    if (history != null) {
      String single = ip.indexOf(':') >= 0 ? ip + "/128" : ip + "/32";
      try {
        for (ListHistory.Listing h : history.lookup(single, asOf)) {
          int at = names().indexOf(h.list());
          boolean shown = listed.stream().anyMatch(x -> x.get("list").equals(h.list()));
          if (shown || at < 0) {
            continue;
          }
          // delisted since; or, replaying old logs, listed on their day though not in today's file
          Map<String, Object> x = new LinkedHashMap<>();
          x.put("list", h.list());
          x.put("role", lists.roles().get(at));
          x.put("entry", single);
          x.put("first_listed", h.first().toString());
          x.put("last_listed", h.last().toString());
          x.put("listed_days", h.days());
          x.put("still_listed", h.current());
          listed.add(x);
          lifetime(h, lists.roles().get(at), lifetime);
        }
      } catch (java.sql.SQLException e) {
        // the history is an aid: without it, no lifetime
      }
    }
    if (!listed.isEmpty()) {
      m.put("lists", listed);
    }
    S25r.Verdict v = lineOf(ip, m);
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("state", v.state());
    if (v.rule() >= 0) {
      s.put("rule", v.rule());
    }
    s.put("why", v.why());
    m.put("s25r", s);
    LinkedHashMap<String, NameSeen> seen = names.getIfPresent(ip);
    if (seen != null && !seen.isEmpty()) {
      List<Map<String, Object>> ns = new ArrayList<>();
      for (Map.Entry<String, NameSeen> n : seen.entrySet()) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("name", n.getKey());
        x.put("dns_server", n.getValue().server());
        x.put("ttl", n.getValue().ttl());
        x.put("first_seen", org.bottrace.event.Micros.formatEpoch(n.getValue().first()));
        x.put("last_seen", org.bottrace.event.Micros.formatEpoch(n.getValue().last()));
        ns.add(x);
      }
      m.put("names", ns);
    }
    Map<String, Object> irc = openIrc.getIfPresent(ip);
    if (irc != null) {
      m.put("open_irc_server", irc);
    }
    // the class, in the documented order, with every sign shown
    List<String[]> signs = new ArrayList<>(); // {class, reason}
    if (bulletproof) {
      signs.add(new String[] {"bulletproof_or_unmanaged", "on a list with role bulletproof" + (listed.stream()
          .anyMatch(x -> x.containsKey("via") && "bulletproof".equals(x.get("role"))) ? " (its network operator's AS)" : "")});
    }
    for (String[] x : lifetime) {
      if (x[0].equals("bulletproof_or_unmanaged")) {
        signs.add(x);
      }
    }
    if (v.endUser()) {
      signs.add(new String[] {"end_user", "S25R " + v.why()});
    }
    if (GeoConnection.subscriberLine(connection)) {
      signs.add(new String[] {"end_user", "a " + connection + " line (" + line.source() + ")"});
    }
    if (irc != null && Boolean.TRUE.equals(irc.get("open"))) {
      signs.add(new String[] {"professional", "open IRC server: " + irc.get("why")});
    }
    if ("Corporate".equals(connection)) {
      signs.add(new String[] {"professional", "a corporate network (" + line.source() + ")"});
    }
    for (String[] x : lifetime) {
      if (x[0].equals("professional")) {
        signs.add(x);
      }
    }
    String cls = signs.isEmpty() ? "unknown" : signs.get(0)[0];
    List<String> reasons = new ArrayList<>();
    List<String> conflicts = new ArrayList<>();
    for (String[] x : signs) {
      (x[0].equals(cls) ? reasons : conflicts).add(x[0].equals(cls) ? x[1] : x[0] + ": " + x[1]);
    }
    m.put("class", cls);
    if (!reasons.isEmpty()) {
      m.put("class_reasons", reasons);
    }
    if (!conflicts.isEmpty()) {
      m.put("conflicts", conflicts);
    }
    m.put("traceable", switch (cls) {
      case "professional" -> "likely: an administrator who keeps logs and answers";
      case "end_user" -> "hard: a home line, no logs, no skills";
      case "bulletproof_or_unmanaged" -> "no: complaints are ignored";
      default -> "unknown";
    });
    return m;
  }

  private List<String> names() {
    List<String> out = new ArrayList<>();
    for (PlainList l : lists.lists()) {
      out.add(l.name());
    }
    return out;
  }

  /** Document 004's lifetime signs of a C&amp;C list's listing: long-lived and still listed, or taken down. */
  private void lifetime(ListHistory.Listing h, String role, List<String[]> out) {
    if (!"cc".equals(role)) {
      return;
    }
    if (h.current() && h.continuous() && h.days() >= longLived) {
      out.add(new String[] {"bulletproof_or_unmanaged", "on C&C list " + h.list() + " since " + h.first()
          + " (" + h.days() + " days): long-lived"});
    } else if (!h.current() && h.days() < shortLived) {
      out.add(new String[] {"professional", "on C&C list " + h.list() + " " + h.days()
          + " days, delisted by " + h.latestLoad() + ": taken down"});
    }
  }

  private ListHistory.Listing listing(String list, String entry) {
    if (history == null || entry == null) {
      return null;
    }
    try {
      for (ListHistory.Listing h : history.lookup(entry, asOf)) {
        if (h.list().equals(list)) {
          return h;
        }
      }
    } catch (java.sql.SQLException e) {
      return null;
    }
    return null;
  }

  /** Where the enrichment came from, for the startup summary. */
  public Map<String, Object> sources() {
    Map<String, Object> m = new TreeMap<>();
    if (geo != null) {
      m.put("geoip", geo.edition() + " built " + geo.buildDate());
    }
    List<String> ls = new ArrayList<>();
    for (int i = 0; i < lists.sources().size(); i++) {
      PlainList l = lists.sources().get(i).get();
      ls.add(l.name() + " (" + lists.roles().get(i) + ", " + l.size() + " entries, " + l.path() + " of "
          + lists.sources().get(i).version() + ")");
    }
    m.put("lists", ls);
    return m;
  }
}
