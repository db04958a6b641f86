package org.bottrace.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Kai and Sasaki's tables for the servers at hand: S25R matches per role with an optional control group
 * (Table 1), list shares (Table 2), open IRC servers and lifetimes (Table 3), administrator classes
 * overall and per country (Table 4 and Fig. 3-6), the traceability of the botnet through k stepping
 * stones (p^(k+1)) with p estimated from the classes seen, and the herders seen.
 */
public final class Report {
  /** One server: its address, role (cc, dns, download) and enrichment (see Enricher). */
  public record Server(String ip, String role, Map<String, Object> enrichment) {}

  /**
   * One botnet: its C&C server and port, its bots, herders, the DNS and download servers it used, and what
   * happened, in time order (members joining, the herder's commands, the downloads and scans that followed).
   */
  public record Botnet(String cc, int port, TreeSet<String> bots, TreeSet<String> herders, TreeSet<String> dns,
      TreeSet<String> names, TreeSet<String> downloads, List<Mark> timeline) {
    public Botnet(String cc, int port) {
      this(cc, port, new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>(), new TreeSet<>(),
          new ArrayList<>());
    }
  }

  /**
   * A host that acted for a botnet (a bot, a herder): the notes behind it, the most severe of them and
   * the surest, when it was first and last seen doing so (ISO 8601), and its story: what each notice showed
   * it doing, in time order.
   */
  public record Host(String ip, TreeSet<String> notes, String severity, double confidence, String first, String last,
      List<Mark> story) {}

  /**
   * One thing a host did, at a time (ISO 8601): its kind is the infection stage a notice showed
   * (cc_contact, cc_resolution, download, propagation, dns_anomaly), a herder's command, or a verdict.
   */
  public record Mark(String at, String host, String kind, String note) {}

  /**
   * What the report was made from: logs replayed or a run's notice file, the inputs, and the log time they
   * span (ISO 8601; null when nothing was read).
   */
  public record Scope(String what, List<String> sources, String from, String to) {
    public static Scope none() {
      return new Scope("a list of servers", List.of(), null, null);
    }
  }

  /** The source of the method, cited once at the top. */
  static final String METHOD = "Tables after Toshifumi Kai and Ryoichi Sasaki, \"A survey and study of effective"
      + " botnet traceback\" (IPSJ)";

  static final double PRIOR = 0.45;
  static final double PRIOR_WEIGHT = 10;

  private final List<Server> servers;
  private final List<Server> control;
  private final List<String> herders;
  private final List<Botnet> botnets;
  private final List<Host> hosts;
  private final Scope scope;

  public Report(List<Server> servers, List<Server> control, List<String> herders) {
    this(servers, control, herders, List.of(), List.of(), Scope.none());
  }

  public Report(List<Server> servers, List<Server> control, List<String> herders, List<Botnet> botnets,
      List<Host> hosts, Scope scope) {
    this.scope = scope;
    this.hosts = List.copyOf(hosts);
    this.servers = List.copyOf(servers);
    this.control = List.copyOf(control);
    this.herders = List.copyOf(new TreeSet<>(herders));
    this.botnets = List.copyOf(botnets);
  }

  private String classOf(String ip, String role) {
    for (Server s : servers) {
      if (s.ip().equals(ip) && s.role().equals(role)) {
        return String.valueOf(s.enrichment().getOrDefault("class", "unknown"));
      }
    }
    return "unknown";
  }

  /** Text helpers. */
  static final class Text {
    private Text() {}

    /** At most {@code max} items joined by commas, then how many more. */
    static String join(List<String> items, int max) {
      if (items.size() <= max) {
        return String.join(", ", items);
      }
      return String.join(", ", items.subList(0, max)) + " and " + (items.size() - max) + " more";
    }
  }

  private static String str(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v == null ? null : v.toString();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> m, String k) {
    Object v = m.get(k);
    return v instanceof Map ? (Map<String, Object>) v : new LinkedHashMap<>();
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> lists(Map<String, Object> m) {
    Object v = m.get("lists");
    return v instanceof List ? (List<Map<String, Object>>) v : List.of();
  }

  /** A map in the order given (Map.of's order changes from one JVM to the next). */
  private static Map<String, Object> ordered(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i + 1 < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static double share(long n, long of) {
    return of == 0 ? 0 : Math.round(1000.0 * n / of) / 1000.0;
  }

  private static boolean endUser(Server s) {
    return "end_user".equals(str(map(s.enrichment(), "s25r"), "state"));
  }

  /** A country's English name from its ISO 3166 code ("JP": "Japan"), "unknown" without one. */
  static String countryName(Object code) {
    if (!(code instanceof String c) || !c.matches("[A-Z]{2}")) {
      return "unknown";
    }
    String name = new Locale("", c).getDisplayCountry(Locale.ENGLISH);
    return name.isEmpty() || name.equals(c) ? c : name;
  }

  /** A list of the model as words: its items joined by {@code sep}, {@code none} for no list or an empty one. */
  static String joined(Object list, String sep, String none) {
    if (!(list instanceof List<?> l) || l.isEmpty()) {
      return none;
    }
    List<String> out = new ArrayList<>(l.size());
    for (Object v : l) {
      out.add(String.valueOf(v));
    }
    return String.join(sep, out);
  }

  private static List<Map<String, Object>> marks(List<Mark> ms) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Mark m : ms) {
      out.add(ordered("at", m.at(), "host", m.host(), "kind", m.kind(), "note", m.note()));
    }
    return out;
  }

  /** The report as a tree (rendered as JSON, text or HTML). */
  public Map<String, Object> model() {
    Map<String, Object> out = new LinkedHashMap<>();
    List<String> roles = new ArrayList<>(new TreeSet<>(servers.stream().map(Server::role).toList()));
    Map<String, Object> sc = new LinkedHashMap<>();
    sc.put("from", scope.what());
    sc.put("sources", scope.sources());
    if (scope.from() != null) {
      sc.put("first", scope.from());
      sc.put("last", scope.to());
    }
    sc.put("method", METHOD);
    out.put("scope", sc);
    // first what an analyst asks: which hosts are infected, how sure, since when
    List<Map<String, Object>> hs = new ArrayList<>();
    for (Host h : hosts) {
      Map<String, Object> x = new LinkedHashMap<>();
      x.put("ip", h.ip());
      x.put("severity", h.severity());
      x.put("confidence", h.confidence());
      x.put("first_seen", h.first());
      x.put("last_seen", h.last());
      x.put("notes", List.copyOf(h.notes()));
      x.put("story", marks(h.story()));
      hs.add(x);
    }
    out.put("hosts", hs);
    out.put("servers", servers.size());
    // Table 1: S25R
    Map<String, Object> t1 = new LinkedHashMap<>();
    long controlMatch = control.stream().filter(Report::endUser).count();
    double controlShare = share(controlMatch, control.size());
    for (String role : roles) {
      List<Server> rs = servers.stream().filter(s -> s.role().equals(role)).toList();
      long match = rs.stream().filter(Report::endUser).count();
      long known = rs.stream().filter(s -> !"unknown".equals(str(map(s.enrichment(), "s25r"), "state"))).count();
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("servers", rs.size());
      r.put("ptr_known", known);
      r.put("s25r_match", match);
      r.put("share", share(match, known));
      if (!control.isEmpty()) {
        r.put("control_share", controlShare);
        r.put("excess", Math.round(1000.0 * (share(match, known) - controlShare)) / 1000.0);
      }
      t1.put(role, r);
    }
    if (!control.isEmpty()) {
      t1.put("control_group", ordered("servers", control.size(), "s25r_match", controlMatch, "share", controlShare));
    }
    out.put("table1_s25r", t1);
    // Table 2: list shares per role and list role
    Map<String, Object> t2 = new LinkedHashMap<>();
    for (String role : roles) {
      List<Server> rs = servers.stream().filter(s -> s.role().equals(role)).toList();
      Map<String, Long> byListRole = new TreeMap<>();
      for (Server s : rs) {
        for (String lr : new TreeSet<>(lists(s.enrichment()).stream().map(x -> String.valueOf(x.get("role"))).toList())) {
          byListRole.merge(lr, 1L, Long::sum);
        }
      }
      Map<String, Object> r = new LinkedHashMap<>();
      for (Map.Entry<String, Long> e : byListRole.entrySet()) {
        r.put(e.getKey(), ordered("servers", e.getValue(), "share", share(e.getValue(), rs.size())));
      }
      t2.put(role, r);
    }
    out.put("table2_lists", t2);
    // Table 3: open IRC servers (of the C&C servers that are not end-user) and lifetimes
    List<Server> cc = servers.stream().filter(s -> s.role().equals("cc")).toList();
    List<Server> notEndUser = cc.stream().filter(s -> !endUser(s)).toList();
    long open = notEndUser.stream().filter(s -> Boolean.TRUE.equals(map(s.enrichment(), "open_irc_server").get("open")))
        .count();
    long irc = notEndUser.stream().filter(s -> !map(s.enrichment(), "open_irc_server").isEmpty()).count();
    long shortLife = 0;
    long longLife = 0;
    for (Server s : cc) {
      for (Map<String, Object> l : lists(s.enrichment())) {
        Object d = l.get("listed_days");
        if (d instanceof Number n && "cc".equals(l.get("role"))) {
          if (n.longValue() < 7) {
            shortLife++;
          } else {
            longLife++;
          }
        }
      }
    }
    Map<String, Object> t3 = new LinkedHashMap<>();
    t3.put("cc_not_end_user", notEndUser.size());
    t3.put("irc_evidence", irc);
    t3.put("open_irc", open);
    t3.put("open_irc_share", share(open, irc));
    t3.put("listed_under_7_days", shortLife);
    t3.put("listed_7_days_or_more", longLife);
    out.put("table3_professional", t3);
    // Table 4: classes, overall and per country
    Map<String, Long> classes = new TreeMap<>();
    Map<String, Map<String, Long>> perCountry = new TreeMap<>();
    for (Server s : servers) {
      String cls = String.valueOf(s.enrichment().getOrDefault("class", "unknown"));
      classes.merge(cls, 1L, Long::sum);
      String country = countryName(s.enrichment().get("country"));
      perCountry.computeIfAbsent(country, k -> new TreeMap<>()).merge(cls, 1L, Long::sum);
    }
    Map<String, Object> t4 = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : classes.entrySet()) {
      t4.put(e.getKey(), ordered("servers", e.getValue(), "share", share(e.getValue(), servers.size())));
    }
    out.put("table4_classes", t4);
    out.put("classes_per_country", perCountry);
    // traceability
    long known = servers.stream().filter(s -> !"unknown".equals(s.enrichment().getOrDefault("class", "unknown")))
        .count();
    long professional = classes.getOrDefault("professional", 0L);
    // the paper's 0.45 (the middle of its 0.4-0.5) as a prior worth PRIOR_WEIGHT servers: a handful of
    // servers moves the estimate, one server alone cannot make it 0 or 1
    double p = (professional + PRIOR * PRIOR_WEIGHT) / (known + PRIOR_WEIGHT);
    Map<String, Object> tr = new LinkedHashMap<>();
    tr.put("p_professional", Math.round(p * 1000) / 1000.0);
    tr.put("p_basis", professional + " professional of " + known + " servers with a known class, with the paper's"
        + " 0.45 as a prior worth " + (int) PRIOR_WEIGHT + " servers");
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int k = 0; k <= 5; k++) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("stepping_stones", k);
      r.put("reach", Math.round(Math.pow(p, k + 1) * 1000) / 1000.0);
      r.put("paper_p0.4", Math.round(Math.pow(0.4, k + 1) * 1000) / 1000.0);
      r.put("paper_p0.5", Math.round(Math.pow(0.5, k + 1) * 1000) / 1000.0);
      rows.add(r);
    }
    tr.put("table", rows);
    out.put("traceability", tr);
    // per botnet: the first hop is its C&C server; a professional one is reached, an end-user or
    // bullet-proof one blocks the trace, an unknown one passes with p; each stepping stone after with p
    List<Map<String, Object>> bn = new ArrayList<>();
    for (Botnet b : botnets) {
      String cls = classOf(b.cc(), "cc");
      double first = switch (cls) {
        case "professional" -> 1.0;
        case "end_user", "bulletproof_or_unmanaged" -> 0.0;
        default -> p;
      };
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("cc", b.cc() + ":" + b.port());
      r.put("cc_class", cls);
      r.put("bots", b.bots().size());
      r.put("herders", List.copyOf(b.herders()));
      if (!b.names().isEmpty()) {
        r.put("cc_names", List.copyOf(b.names()));
      }
      List<String> dnsClasses = new ArrayList<>();
      for (String d : b.dns()) {
        dnsClasses.add(d + " " + classOf(d, "dns"));
      }
      if (!dnsClasses.isEmpty()) {
        r.put("dns_servers", dnsClasses);
      }
      List<String> dl = new ArrayList<>();
      for (String d : b.downloads()) {
        dl.add(d + " " + classOf(d, "download"));
      }
      if (!dl.isEmpty()) {
        r.put("download_servers", dl);
      }
      List<Double> reach = new ArrayList<>();
      for (int k = 0; k <= 5; k++) {
        reach.add(Math.round(first * Math.pow(p, k) * 1000) / 1000.0);
      }
      r.put("reach_by_stepping_stones", reach);
      r.put("timeline", marks(b.timeline()));
      bn.add(r);
    }
    out.put("botnets", bn);
    out.put("herders", herders);
    List<Map<String, Object>> list = new ArrayList<>();
    for (Server s : servers) {
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("ip", s.ip());
      r.put("role", s.role());
      r.put("class", s.enrichment().getOrDefault("class", "unknown"));
      r.put("country", s.enrichment().get("country") == null ? null : countryName(s.enrichment().get("country")));
      r.put("s25r", str(map(s.enrichment(), "s25r"), "why"));
      list.add(r);
    }
    out.put("server_list", list);
    return out;
  }

  /** The report as text for a terminal: tables of words and numbers, never a raw collection. */
  @SuppressWarnings("unchecked")
  public String text() {
    Map<String, Object> m = model();
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "bottrace report: %d host%s acting for a botnet, %d server%s%n", hosts.size(),
        hosts.size() == 1 ? "" : "s", servers.size(), servers.size() == 1 ? "" : "s"));
    b.append("  from ").append(scope.what());
    if (!scope.sources().isEmpty()) {
      b.append(": ").append(Text.join(scope.sources(), 6));
    }
    b.append('\n');
    if (scope.from() != null) {
      b.append("  log time ").append(scope.from()).append(" to ").append(scope.to()).append('\n');
    }
    b.append("  ").append(METHOD).append("\n\n");
    b.append("Hosts acting for a botnet\n");
    if (hosts.isEmpty()) {
      b.append("  none: no notice names a bot or a herder\n");
    } else {
      b.append(String.format(Locale.ROOT, "  %-39s %-13s %10s  %-27s %-27s %s%n", "host", "severity", "confidence",
          "first seen", "last seen", "notes"));
      for (Host h : hosts) {
        b.append(String.format(Locale.ROOT, "  %-39s %-13s %10.3f  %-27s %-27s %s%n", h.ip(), h.severity(),
            h.confidence(), h.first(), h.last(), String.join(", ", h.notes())));
      }
    }
    b.append("\nTable 1. S25R end-user names\n");
    Map<String, Object> t1 = (Map<String, Object>) m.get("table1_s25r");
    if (t1.isEmpty()) {
      b.append("  no servers\n");
    } else {
      b.append(String.format(Locale.ROOT, "  %-14s %8s %10s %8s %8s %10s%n", "role", "servers", "PTR known", "match",
          "share", "excess"));
      for (Map.Entry<String, Object> e : t1.entrySet()) {
        Map<String, Object> r = (Map<String, Object>) e.getValue();
        b.append(String.format(Locale.ROOT, "  %-14s %8s %10s %8s %8s %10s%n", e.getKey().replace('_', ' '),
            r.get("servers"), r.getOrDefault("ptr_known", ""), r.get("s25r_match"), r.get("share"),
            r.getOrDefault("excess", "")));
      }
    }
    b.append("\nTable 2. On lists\n");
    List<String[]> listed = new ArrayList<>();
    for (Map.Entry<String, Object> e : ((Map<String, Object>) m.get("table2_lists")).entrySet()) {
      for (Map.Entry<String, Object> x : ((Map<String, Object>) e.getValue()).entrySet()) {
        Map<String, Object> r = (Map<String, Object>) x.getValue();
        listed.add(new String[] {e.getKey(), x.getKey(), String.valueOf(r.get("servers")), String.valueOf(r.get("share"))});
      }
    }
    if (listed.isEmpty()) {
      b.append("  none of the ").append(servers.size()).append(" servers is on a configured list\n");
    } else {
      b.append(String.format(Locale.ROOT, "  %-10s %-14s %8s %8s%n", "role", "list role", "servers", "share"));
      for (String[] r : listed) {
        b.append(String.format(Locale.ROOT, "  %-10s %-14s %8s %8s%n", (Object[]) r));
      }
    }
    Map<String, Object> t3 = (Map<String, Object>) m.get("table3_professional");
    b.append(String.format(Locale.ROOT, "%nTable 3. Professional signs (C&C servers not end-user: %s)%n",
        t3.get("cc_not_end_user")));
    if (((Number) t3.get("irc_evidence")).longValue() == 0) {
      b.append("  open IRC server: no C&C server showed IRC evidence\n");
    } else {
      b.append(String.format(Locale.ROOT, "  open IRC server: %s of %s with IRC evidence (share %s)%n", t3.get("open_irc"),
          t3.get("irc_evidence"), t3.get("open_irc_share")));
    }
    b.append(String.format(Locale.ROOT, "  listed under 7 days: %s, 7 days or more: %s%n", t3.get("listed_under_7_days"),
        t3.get("listed_7_days_or_more")));
    b.append("\nTable 4. Administrator classes\n");
    Map<String, Object> t4 = (Map<String, Object>) m.get("table4_classes");
    if (t4.isEmpty()) {
      b.append("  no servers\n");
    } else {
      b.append(String.format(Locale.ROOT, "  %-26s %6s %8s%n", "class", "servers", "share"));
      for (Map.Entry<String, Object> e : t4.entrySet()) {
        Map<String, Object> r = (Map<String, Object>) e.getValue();
        b.append(String.format(Locale.ROOT, "  %-26s %6s %8s%n", e.getKey(), r.get("servers"), r.get("share")));
      }
      b.append("\n  per country\n");
      b.append(String.format(Locale.ROOT, "  %-26s %12s %8s %11s %8s%n", "country", "professional", "end user",
          "bulletproof", "unknown"));
      for (Map.Entry<String, Map<String, Long>> e : ((Map<String, Map<String, Long>>) m.get("classes_per_country"))
          .entrySet()) {
        Map<String, Long> c = e.getValue();
        b.append(String.format(Locale.ROOT, "  %-26s %12d %8d %11d %8d%n", e.getKey(), c.getOrDefault("professional", 0L),
            c.getOrDefault("end_user", 0L), c.getOrDefault("bulletproof_or_unmanaged", 0L), c.getOrDefault("unknown", 0L)));
      }
    }
    Map<String, Object> tr = (Map<String, Object>) m.get("traceability");
    b.append(String.format(Locale.ROOT, "%nTraceability: p = %s (%s)%n  %-16s %8s %8s %8s%n", tr.get("p_professional"),
        tr.get("p_basis"), "stepping stones", "reach", "p=0.4", "p=0.5"));
    for (Map<String, Object> r : (List<Map<String, Object>>) tr.get("table")) {
      b.append(String.format(Locale.ROOT, "  %-16s %8s %8s %8s%n", r.get("stepping_stones"), r.get("reach"),
          r.get("paper_p0.4"), r.get("paper_p0.5")));
    }
    List<Map<String, Object>> bn = (List<Map<String, Object>>) m.get("botnets");
    if (bn.isEmpty()) {
      b.append("\nBotnets: none (no notice names a C&C server its bots are in contact with)\n");
    }
    for (Map<String, Object> x : bn) {
      List<String> hs = (List<String>) x.get("herders");
      b.append(String.format(Locale.ROOT, "%nBotnet at %s (C&C %s, %s bot%s, herder%s %s)%n", x.get("cc"),
          x.get("cc_class"), x.get("bots"), ((Number) x.get("bots")).intValue() == 1 ? "" : "s",
          hs.size() == 1 ? "" : "s", hs.isEmpty() ? "not seen" : String.join(", ", hs)));
      if (x.get("cc_names") != null) {
        b.append("  C&C names: ").append(String.join(", ", (List<String>) x.get("cc_names"))).append('\n');
      }
      b.append("  DNS servers: ").append(joined(x.get("dns_servers"), ", ", "none seen")).append('\n');
      b.append("  download servers: ").append(joined(x.get("download_servers"), ", ", "none seen")).append('\n');
      b.append("  reach through k = 0..5 stepping stones: ").append(joined(x.get("reach_by_stepping_stones"), " / ", ""))
          .append('\n');
      List<Map<String, Object>> tl = (List<Map<String, Object>>) x.get("timeline");
      if (!tl.isEmpty()) {
        b.append("  timeline\n");
        int shown = 0;
        for (Map<String, Object> e : tl) {
          if (shown++ == 30) {
            b.append("    ... ").append(tl.size() - 30).append(" more (the JSON and HTML reports have them all)\n");
            break;
          }
          b.append(String.format(Locale.ROOT, "    %-27s %-39s %-13s %s%n", e.get("at"), e.get("host"), e.get("kind"),
              e.get("note")));
        }
      }
    }
    b.append("\nHerders seen: ").append(herders.isEmpty() ? "none" : String.join(", ", herders)).append('\n');
    return b.toString();
  }

  /** HTML text from values the logs chose: markup characters as entities, hidden ones as \xNN. */
  static String esc(Object o) {
    String t = org.bottrace.source.Printable.of(String.valueOf(o));
    StringBuilder b = new StringBuilder();
    for (char c : t.toCharArray()) {
      switch (c) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  /** The kinds of marks on a timeline, in the order of an infection, and their colours. */
  static final String[] KINDS = {"cc_resolution", "cc_contact", "command", "download", "propagation", "dns_anomaly",
      "verdict"};
  private static final String[] KIND_COLOURS = {"#74c0fc", "#1971c2", "#212529", "#e67700", "#c92a2a", "#7048e8",
      "#2b8a3e"};

  private static void legend(StringBuilder b) {
    b.append("<p class=\"legend\">");
    for (int i = 0; i < KINDS.length; i++) {
      b.append("<span style=\"background:").append(KIND_COLOURS[i]).append("\"></span>").append(KINDS[i].replace('_', ' '));
    }
    b.append("</p>\n");
  }

  /**
   * A timeline as inline SVG: one row per key, a mark per thing done at its time (the title says what),
   * time running left to right from the first mark to the last, both written under the axis.
   */
  static void timeline(StringBuilder b, String id, Map<String, List<Mark>> rows) {
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (List<Mark> ms : rows.values()) {
      for (Mark mk : ms) {
        long t = org.bottrace.event.Micros.parseIso(mk.at());
        min = Math.min(min, t);
        max = Math.max(max, t);
      }
    }
    if (min == Long.MAX_VALUE) {
      return;
    }
    long span = Math.max(1_000_000L, max - min);
    int label = 200;
    int plot = 640;
    int rowH = 22;
    int height = rows.size() * rowH + 34;
    b.append("<svg class=\"timeline\" id=\"").append(esc(id)).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"")
        .append(label + plot + 20).append("\" height=\"").append(height).append("\">\n");
    int y = 4;
    for (Map.Entry<String, List<Mark>> r : rows.entrySet()) {
      b.append("<text x=\"0\" y=\"").append(y + 14).append("\" font-size=\"13\">").append(esc(r.getKey()))
          .append("</text><line x1=\"").append(label).append("\" y1=\"").append(y + 10).append("\" x2=\"")
          .append(label + plot).append("\" y2=\"").append(y + 10).append("\" stroke=\"#dee2e6\"/>");
      for (Mark mk : r.getValue()) {
        long t = org.bottrace.event.Micros.parseIso(mk.at());
        double x = label + (double) plot * (t - min) / span;
        int k = java.util.Arrays.asList(KINDS).indexOf(mk.kind());
        b.append(String.format(Locale.ROOT, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%d\" r=\"6\" fill=\"%s\">"
            + "<title>%s %s: %s (%s)</title></circle>", esc(mk.kind()), x, y + 10, k < 0 ? "#868e96" : KIND_COLOURS[k],
            esc(mk.at()), esc(mk.host()), esc(mk.kind().replace('_', ' ')), esc(mk.note())));
      }
      b.append('\n');
      y += rowH;
    }
    b.append("<text x=\"").append(label).append("\" y=\"").append(y + 18).append("\" font-size=\"11\">")
        .append(esc(org.bottrace.event.Micros.formatIso(min))).append("</text><text x=\"").append(label + plot)
        .append("\" y=\"").append(y + 18).append("\" font-size=\"11\" text-anchor=\"end\">")
        .append(esc(org.bottrace.event.Micros.formatIso(min + span))).append("</text>\n</svg>\n");
  }

  private static final String[] CLASSES = {"professional", "end_user", "bulletproof_or_unmanaged", "unknown"};
  private static final String[] COLOURS = {"#2b8a3e", "#e67700", "#c92a2a", "#adb5bd"};

  /** The report as one self-contained HTML page (inline CSS and SVG, no scripts), charts like Fig. 3-6. */
  @SuppressWarnings("unchecked")
  public String html() {
    Map<String, Object> m = model();
    StringBuilder b = new StringBuilder();
    b.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>bottrace report</title>\n")
        .append("<style>body{font-family:sans-serif;margin:2em;max-width:1100px}table{border-collapse:collapse;")
        .append("margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}")
        .append("th:first-child,td:first-child{text-align:left}h2{margin-top:1.5em}.legend span{display:inline-block;")
        .append("width:1em;height:1em;margin:0 .3em 0 1em;vertical-align:middle}#servers td,#hosts td{text-align:left}</style></head><body>\n")
        .append("<h1>bottrace report</h1><p id=\"summary\">").append(esc(hosts.size()))
        .append(" hosts acting for a botnet; ").append(esc(m.get("servers")))
        .append(" servers; herders seen: ").append(esc(herders.isEmpty() ? "none" : String.join(", ", herders)))
        .append("</p>\n<p id=\"scope\">From ").append(esc(scope.what()))
        .append(scope.sources().isEmpty() ? "" : ": " + esc(Text.join(scope.sources(), 6)))
        .append(scope.from() == null ? "" : "; log time " + esc(scope.from()) + " to " + esc(scope.to()))
        .append(".</p>\n<p id=\"method\">").append(esc(METHOD)).append(".</p>\n");
    b.append("<h2>Hosts acting for a botnet</h2>");
    if (hosts.isEmpty()) {
      b.append("<p id=\"hosts\">None: no notice names a bot or a herder.</p>\n");
    } else {
      b.append("<table id=\"hosts\"><tr><th>host</th><th>severity</th><th>confidence</th>")
          .append("<th>first seen</th><th>last seen</th><th>notes</th></tr>\n");
      for (Host h : hosts) {
        b.append("<tr><td>").append(esc(h.ip())).append("</td><td>").append(esc(h.severity())).append("</td><td>")
            .append(esc(h.confidence())).append("</td><td>").append(esc(h.first())).append("</td><td>")
            .append(esc(h.last())).append("</td><td>").append(esc(String.join(", ", h.notes()))).append("</td></tr>\n");
      }
      b.append("</table>\n<h2>Infection stories</h2>\n");
      legend(b);
      for (Host h : hosts) {
        Map<String, List<Mark>> rows = new LinkedHashMap<>();
        for (String k : KINDS) {
          for (Mark mk : h.story()) {
            if (mk.kind().equals(k)) {
              rows.computeIfAbsent(k.replace('_', ' '), x -> new ArrayList<>()).add(mk);
            }
          }
        }
        b.append("<h3>").append(esc(h.ip())).append("</h3>\n");
        timeline(b, "story-" + h.ip().replaceAll("[^0-9A-Za-z]", "-"), rows);
      }
    }
    b.append("<h2>Table 1. S25R end-user names</h2><table id=\"table1\"><tr><th>role</th><th>servers</th>")
        .append("<th>PTR known</th><th>S25R match</th><th>share</th><th>control share</th><th>excess</th></tr>\n");
    for (Map.Entry<String, Object> e : ((Map<String, Object>) m.get("table1_s25r")).entrySet()) {
      Map<String, Object> r = (Map<String, Object>) e.getValue();
      b.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(esc(r.get("servers"))).append("</td><td>")
          .append(esc(r.getOrDefault("ptr_known", ""))).append("</td><td>").append(esc(r.get("s25r_match")))
          .append("</td><td>").append(esc(r.get("share"))).append("</td><td>")
          .append(esc(r.getOrDefault("control_share", ""))).append("</td><td>").append(esc(r.getOrDefault("excess", "")))
          .append("</td></tr>\n");
    }
    b.append("</table>\n<h2>Table 2. On lists</h2>");
    StringBuilder t2 = new StringBuilder();
    for (Map.Entry<String, Object> e : ((Map<String, Object>) m.get("table2_lists")).entrySet()) {
      for (Map.Entry<String, Object> x : ((Map<String, Object>) e.getValue()).entrySet()) {
        Map<String, Object> r = (Map<String, Object>) x.getValue();
        t2.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(esc(x.getKey())).append("</td><td>")
            .append(esc(r.get("servers"))).append("</td><td>").append(esc(r.get("share"))).append("</td></tr>\n");
      }
    }
    if (t2.length() == 0) {
      b.append("<p id=\"table2\">None of the ").append(esc(servers.size())).append(" servers is on a configured list.");
      b.append("</p>\n");
    } else {
      b.append("<table id=\"table2\"><tr><th>role</th><th>list role</th><th>servers</th><th>share</th></tr>\n")
          .append(t2).append("</table>\n");
    }
    Map<String, Object> t3 = (Map<String, Object>) m.get("table3_professional");
    b.append("<h2>Table 3. Professional signs</h2><table id=\"table3\">");
    for (Map.Entry<String, Object> e : t3.entrySet()) {
      b.append("<tr><td>").append(esc(e.getKey().replace('_', ' '))).append("</td><td>").append(esc(e.getValue()))
          .append("</td></tr>");
    }
    b.append("</table>\n<h2>Table 4. Administrator classes</h2><table id=\"table4\"><tr><th>class</th>")
        .append("<th>servers</th><th>share</th></tr>\n");
    for (Map.Entry<String, Object> e : ((Map<String, Object>) m.get("table4_classes")).entrySet()) {
      Map<String, Object> r = (Map<String, Object>) e.getValue();
      b.append("<tr><td>").append(esc(e.getKey())).append("</td><td>").append(esc(r.get("servers")))
          .append("</td><td>").append(esc(r.get("share"))).append("</td></tr>\n");
    }
    b.append("</table>\n");
    // Fig. 3-6: per country, a bar per class
    Map<String, Map<String, Long>> pc = (Map<String, Map<String, Long>>) m.get("classes_per_country");
    long most = 1;
    for (Map<String, Long> c : pc.values()) {
      most = Math.max(most, c.values().stream().mapToLong(Long::longValue).sum());
    }
    int rowH = 26;
    int width = 700;
    b.append("<h2>Administrator classes per country</h2><p class=\"legend\">");
    for (int i = 0; i < CLASSES.length; i++) {
      b.append("<span style=\"background:").append(COLOURS[i]).append("\"></span>").append(CLASSES[i]);
    }
    b.append("</p>\n<svg id=\"countries\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(width + 180)
        .append("\" height=\"").append(pc.size() * rowH + 10).append("\">\n");
    int y = 5;
    for (Map.Entry<String, Map<String, Long>> c : pc.entrySet()) {
      b.append("<text x=\"0\" y=\"").append(y + 17).append("\" font-size=\"14\">").append(esc(c.getKey()))
          .append("</text>");
      double x = 160; // after the country's name
      for (int i = 0; i < CLASSES.length; i++) {
        long n = c.getValue().getOrDefault(CLASSES[i], 0L);
        if (n == 0) {
          continue;
        }
        double w = (double) width * n / most;
        b.append(String.format(Locale.ROOT, "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\""
            + " fill=\"%s\"><title>%s %s: %d</title></rect>", CLASSES[i], x, y, w, rowH - 6, COLOURS[i],
            esc(c.getKey()), CLASSES[i], n));
        x += w;
      }
      b.append('\n');
      y += rowH;
    }
    b.append("</svg>\n");
    // traceability
    Map<String, Object> tr = (Map<String, Object>) m.get("traceability");
    b.append("<h2>Traceability through k stepping stones</h2><p>p = ").append(esc(tr.get("p_professional")))
        .append(" (").append(esc(tr.get("p_basis"))).append("); reach = p<sup>k+1</sup></p>\n")
        .append("<table id=\"traceability\"><tr><th>stepping stones</th><th>reach</th><th>paper p=0.4</th>")
        .append("<th>paper p=0.5</th></tr>\n");
    for (Map<String, Object> r : (List<Map<String, Object>>) tr.get("table")) {
      b.append("<tr><td>").append(esc(r.get("stepping_stones"))).append("</td><td>").append(esc(r.get("reach")))
          .append("</td><td>").append(esc(r.get("paper_p0.4"))).append("</td><td>").append(esc(r.get("paper_p0.5")))
          .append("</td></tr>\n");
    }
    b.append("</table>\n");
    List<Map<String, Object>> bn = (List<Map<String, Object>>) m.get("botnets");
    if (bn.isEmpty()) {
      b.append("<h2>Botnets</h2><p id=\"botnets\">None: no notice names a C&amp;C server its bots are in contact"
          + " with.</p>\n");
    }
    int at = 0;
    for (int i = 0; i < bn.size(); i++) {
      Map<String, Object> x = bn.get(i);
      List<String> hs = (List<String>) x.get("herders");
      b.append("<h2>Botnet at ").append(esc(x.get("cc"))).append("</h2><p class=\"botnet\">C&amp;C ")
          .append(esc(x.get("cc_class"))).append(", ").append(esc(x.get("bots"))).append(" bots, herders ")
          .append(esc(hs.isEmpty() ? "not seen" : String.join(", ", hs))).append("; DNS ")
          .append(esc(joined(x.get("dns_servers"), ", ", "none seen")))
          .append("; download ").append(esc(joined(x.get("download_servers"), ", ", "none seen")))
          .append("; reach through k = 0..5 stepping stones ")
          .append(esc(joined(x.get("reach_by_stepping_stones"), " / ", "")))
          .append("</p>\n");
      Botnet bt = botnets.get(i);
      Map<String, List<Mark>> rows = new LinkedHashMap<>();
      for (String h : bt.herders()) {
        rows.put(h + " (herder)", new ArrayList<>());
      }
      for (Mark mk : bt.timeline()) {
        String row = bt.herders().contains(mk.host()) ? mk.host() + " (herder)" : mk.host();
        rows.computeIfAbsent(row, k -> new ArrayList<>()).add(mk);
      }
      rows.values().removeIf(List::isEmpty);
      if (!rows.isEmpty()) {
        legend(b);
        timeline(b, "timeline-" + (at++), rows);
      }
    }
    b.append("<h2>Servers</h2><table id=\"servers\"><tr><th>address</th><th>role</th><th>class</th>")
        .append("<th>country</th><th>S25R</th></tr>\n");
    for (Map<String, Object> r : (List<Map<String, Object>>) m.get("server_list")) {
      b.append("<tr><td>").append(esc(r.get("ip"))).append("</td><td>").append(esc(r.get("role"))).append("</td><td>")
          .append(esc(r.get("class"))).append("</td><td>").append(esc(r.get("country") == null ? "" : r.get("country")))
          .append("</td><td>").append(esc(r.get("s25r"))).append("</td></tr>\n");
    }
    b.append("</table>\n</body></html>\n");
    return b.toString();
  }
}
