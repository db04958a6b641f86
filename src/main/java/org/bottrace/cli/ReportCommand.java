package org.bottrace.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.bottrace.config.ConfigException;
import org.bottrace.detect.stage.HostSummary;
import org.bottrace.event.Addresses;
import org.bottrace.pipeline.Inputs;
import org.bottrace.pipeline.Pipeline;
import org.bottrace.pipeline.Replay;
import org.bottrace.pipeline.RunStats;
import org.bottrace.pipeline.Settings;
import org.bottrace.report.Report;
import org.bottrace.sink.Notice;
import org.bottrace.sink.NoticeSink;
import org.bottrace.source.Diagnostics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bottrace report}: Kai and Sasaki's tables for the servers of a replay or of a list the user gives. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Prints the infected hosts and Kai and Sasaki's traceback tables for the servers bottrace finds.",
        "The tables: S25R, lists, open IRC servers and listing lifetimes, administrator classes per country,"
            + " traceability through k stepping stones, and the herders. It reads the logs given, a run's notice"
            + " file (--notices), or a list of servers (--servers), as the paper did with the Malware Domain List."},
    footer = {"%n--servers and --control files: one server per line, `IP [PTR-name] [role]` (role cc, dns or",
        "download; default cc), # comments. Exit code 0; 2 when an argument or the configuration is wrong."})
final class ReportCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "configuration file (enrichment: lists, geoip, history)")
  Path config;

  @Option(names = "--format", paramLabel = "text|json|html", defaultValue = "text",
      description = "text for a terminal, json, or html: one self-contained page with charts (default: ${DEFAULT-VALUE})")
  String format;

  @Option(names = "--out", paramLabel = "FILE", description = "write the report to FILE instead of stdout")
  Path out;

  @Option(names = "--servers", paramLabel = "FILE", description = "servers to report on instead of (or besides) logs")
  Path serversFile;

  @Option(names = "--control", paramLabel = "FILE", description = "a control group of ordinary servers (S25R baseline)")
  Path controlFile;

  @Option(names = "--notices", paramLabel = "FILE",
      description = "the JSON notice file a run kept (bottrace run --out): report on what it found")
  List<Path> noticeFiles = new ArrayList<>();

  @Parameters(arity = "0..*", paramLabel = "PATH", description = "log files, folders or globs to replay")
  List<String> paths = new ArrayList<>();

  /** Keeps the notices of the replay. */
  private static final class Keep implements NoticeSink {
    final List<Notice> notices = new ArrayList<>();

    @Override
    public void write(Notice n) {
      notices.add(n);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }

  @Override
  @SuppressWarnings("unchecked")
  public Integer call() throws Exception {
    if (!format.equals("text") && !format.equals("json") && !format.equals("html")) {
      throw new ConfigException("command line", "--format", "expected text, json or html, found '" + format + "'");
    }
    if (paths.isEmpty() && serversFile == null && noticeFiles.isEmpty()) {
      throw new ConfigException("command line", "PATH", "nothing to report on: give logs to replay, --notices FILE"
          + " or --servers FILE");
    }
    String notWritable = Settings.notAFile(out);
    if (notWritable != null) {
      throw new ConfigException("command line", "--out", notWritable);
    }
    Settings s = config == null ? Settings.defaults() : Settings.load(config);
    Diagnostics diag = new Diagnostics(spec.commandLine().getErr()::println, System::nanoTime);
    Keep keep = new Keep();
    RunStats replayed = new RunStats();
    Pipeline pipeline = new Pipeline(s, keep, diag, replayed, Pipeline.Mode.REPLAY, false, null);
    if (!paths.isEmpty()) {
      new Replay(Inputs.expand(paths, skipped -> spec.commandLine().getErr().println("bottrace report: " + skipped)),
          pipeline, diag, s.lateness().toNanos() / 1000, replayed, null).run();
    }
    Map<String, Report.Server> servers = new LinkedHashMap<>();
    Collect c = new Collect();
    for (Notice n : keep.notices) {
      c.add(Seen.of(n));
    }
    for (Path f : noticeFiles) {
      fromNoticeFile(f, c);
    }
    servers.putAll(c.servers);
    for (String[] row : read(serversFile)) {
      String role = row.length > 2 ? row[2] : "cc";
      servers.put(row[0] + "|" + role, new Report.Server(row[0], role,
          pipeline.enricher().describe(row[0], role, row.length > 1 ? row[1] : null)));
    }
    List<Report.Server> control = new ArrayList<>();
    for (String[] row : read(controlFile)) {
      control.add(new Report.Server(row[0], "control", pipeline.enricher().describe(row[0], "control",
          row.length > 1 ? row[1] : null)));
    }
    Report r = new Report(new ArrayList<>(servers.values()), control, c.herders(), c.botnets(), c.hosts(),
        scope(replayed, c));
    String text = format.equals("json")
        ? new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(r.model()) + "\n"
        : format.equals("html") ? r.html() : r.text();
    if (out == null) {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    } else {
      Files.writeString(out, text, StandardCharsets.UTF_8);
    }
    return ExitCode.OK;
  }

  /**
   * One notice as the report reads it, whichever way it came (a replay's finding or a notice file's line):
   * its typed fields only, no note names.
   *
   * @param servers each server it names as {ip, role} ("cc", "download", "dns", "listed")
   * @param fqdn the name a C&amp;C resolution resolved, or null
   */
  record Seen(String note, String src, String dst, int p, String stage, String actor, String severity,
      double confidence, String at, String first, List<String[]> servers, String fqdn, Map<String, Object> enrichment) {
    /** What it shows src doing, for the timelines: its stage, a herder's command, or a verdict; null for none. */
    Report.Mark mark() {
      if (actor == null || src == null || note.equals(HostSummary.NOTE)) {
        return null;
      }
      String kind = stage != null ? stage : actor.equals("herder") ? "command" : "verdict";
      // when it began (a bot joining, a scan's first probe); a herder's notice is the time of its commands
      return new Report.Mark(first != null && !kind.equals("command") ? first : at, src, kind, note);
    }

    boolean names(String ip, String role) {
      return servers.stream().anyMatch(x -> x[0].equals(ip) && x[1].equals(role));
    }

    List<String> inRole(String role) {
      return servers.stream().filter(x -> x[1].equals(role)).map(x -> x[0]).toList();
    }

    /** From a finding of a replay. */
    static Seen of(Notice n) {
      org.bottrace.finding.Finding f = n.finding();
      List<String[]> sv = new ArrayList<>();
      for (org.bottrace.finding.Finding.Server x : f.servers()) {
        sv.add(new String[] {x.ip(), x.role().label()});
      }
      Object fqdn = f.stage() == org.bottrace.finding.Finding.Stage.CC_RESOLUTION ? f.evidence().get("fqdn") : null;
      return new Seen(f.note(), f.src(), f.dst(), f.p(), f.stage() == null ? null : f.stage().label(),
          f.acting() == null ? null : f.acting().label(), f.severity().label(), f.confidence(),
          org.bottrace.event.Micros.formatIso(f.ts()),
          f.firstSeen() < 0 ? null : org.bottrace.event.Micros.formatIso(f.firstSeen()), sv,
          fqdn == null ? null : fqdn.toString(), n.enrichment());
    }
  }

  /** The servers, herders, botnets and hosts of the notices. */
  static final class Collect {
    static final java.util.Comparator<Report.Mark> ORDER = java.util.Comparator.comparing(Report.Mark::at)
        .thenComparing(Report.Mark::host).thenComparing(Report.Mark::kind).thenComparing(Report.Mark::note);

    final Map<String, Report.Server> servers = new LinkedHashMap<>();
    private final List<Seen> seen = new ArrayList<>();

    @SuppressWarnings("unchecked")
    void add(Seen n) {
      seen.add(n);
      Object sv = n.enrichment() == null ? null : n.enrichment().get("servers");
      if (sv instanceof List) {
        for (Object x : (List<Object>) sv) {
          if (!(x instanceof Map) || !(((Map<String, Object>) x).get("ip") instanceof String)) {
            continue;
          }
          Map<String, Object> m = (Map<String, Object>) x;
          String ip = (String) m.get("ip");
          String role = String.valueOf(m.get("role"));
          if (!role.equals("listed")) {
            servers.put(ip + "|" + role, new Report.Server(ip, role, m)); // the latest word
          }
        }
      }
    }

    /** The times of the notices read from files (a replay's span is its records'). */
    final List<String> fileTimes = new ArrayList<>();

    List<String> times() {
      return fileTimes;
    }

    /** The herders: hosts a notice names as one. */
    List<String> herders() {
      return seen.stream().filter(n -> "herder".equals(n.actor())).map(Seen::src).distinct().toList();
    }

    /**
     * The botnets, one per C&amp;C server and port: its bots (hosts in contact with it as their C&amp;C), its
     * herders, and the DNS and download servers its bots used (their C&amp;C resolutions and downloads).
     */
    List<Report.Botnet> botnets() {
      Map<String, Report.Botnet> botnets = new LinkedHashMap<>();
      Map<String, String> botOf = new LinkedHashMap<>(); // bot host -> botnet key
      for (Seen n : seen) {
        if (n.actor() == null || n.dst() == null || !n.names(n.dst(), "cc")
            || !(n.actor().equals("herder") || "cc_contact".equals(n.stage()))) {
          continue;
        }
        String key = n.dst() + ":" + n.p();
        Report.Botnet b = botnets.computeIfAbsent(key, k -> new Report.Botnet(n.dst(), n.p()));
        if (n.actor().equals("herder")) {
          b.herders().add(n.src());
        } else {
          b.bots().add(n.src());
          botOf.putIfAbsent(n.src(), key);
        }
      }
      for (Seen n : seen) {
        Report.Botnet b = n.src() == null || botOf.get(n.src()) == null ? null : botnets.get(botOf.get(n.src()));
        if (b == null) {
          continue;
        }
        if ("cc_resolution".equals(n.stage())) {
          b.dns().addAll(n.inRole("dns"));
          if (n.fqdn() != null) {
            b.names().add(n.fqdn());
          }
        } else if ("download".equals(n.stage())) {
          b.downloads().addAll(n.inRole("download"));
        }
      }
      for (Report.Botnet b : botnets.values()) {
        java.util.Set<Report.Mark> had = new java.util.HashSet<>();
        for (Seen n : seen) {
          Report.Mark m = n.mark();
          if (m != null && (b.bots().contains(m.host()) || b.herders().contains(m.host())) && had.add(m)) {
            b.timeline().add(m); // the updates of one verdict are one mark
          }
        }
        b.timeline().sort(ORDER);
      }
      return new ArrayList<>(botnets.values());
    }

    /** The hosts acting for a botnet (a bot, a herder), most severe first, then by address. */
    List<Report.Host> hosts() {
      Map<String, Report.Host> hosts = new java.util.TreeMap<>();
      for (Seen n : seen) {
        org.bottrace.finding.Finding.Severity s = org.bottrace.finding.Finding.Severity.of(n.severity());
        if (n.actor() == null || s == null || n.at() == null || n.note().equals(HostSummary.NOTE)) {
          continue; // the per-host view's own notices sum up the rest
        }
        Report.Host h = hosts.get(n.src());
        java.util.TreeSet<String> notes = h == null ? new java.util.TreeSet<>() : h.notes();
        notes.add(n.note());
        List<Report.Mark> story = h == null ? new ArrayList<>() : h.story();
        if (!story.contains(n.mark())) {
          story.add(n.mark());
        }
        if (h == null) {
          h = new Report.Host(n.src(), notes, n.severity(), n.confidence(), n.at(), n.at(), story);
        } else {
          boolean worse = s.compareTo(org.bottrace.finding.Finding.Severity.of(h.severity())) > 0;
          h = new Report.Host(n.src(), notes, worse ? n.severity() : h.severity(), Math.max(h.confidence(), n.confidence()),
              n.at().compareTo(h.first()) < 0 ? n.at() : h.first(), n.at().compareTo(h.last()) > 0 ? n.at() : h.last(),
              story);
        }
        hosts.put(n.src(), h);
      }
      List<Report.Host> out = new ArrayList<>(hosts.values());
      for (Report.Host h : out) {
        h.story().sort(ORDER);
      }
      out.sort(java.util.Comparator.comparing((Report.Host h) ->
          -org.bottrace.finding.Finding.Severity.of(h.severity()).ordinal()).thenComparing(Report.Host::ip));
      return out;
    }
  }

  /** The notices of a JSON notice file (a run's --out); lines that are not notices are skipped. */
  @SuppressWarnings("unchecked")
  private void fromNoticeFile(Path f, Collect c) throws ConfigException, IOException {
    if (!Files.isRegularFile(f)) {
      throw new ConfigException("command line", "--notices", "no such file: " + f);
    }
    ObjectMapper m = new ObjectMapper();
    int skipped = 0;
    // invalid UTF-8 becomes U+FFFD and the line is then no notice: skipped, counted
    java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPLACE)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPLACE);
    try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(Files.newInputStream(f),
        utf8))) {
      String line;
      while ((line = r.readLine()) != null) {
        Map<String, Object> n;
        try {
          n = m.readValue(line, Map.class);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
          skipped++;
          continue;
        }
        if (n == null || !(n.get("note") instanceof String) || n.get("evidence") != null && !(n.get("evidence") instanceof Map)
            || n.get("enrichment") != null && !(n.get("enrichment") instanceof Map)) {
          skipped++;
          continue;
        }
        Object p = n.get("p");
        Map<String, Object> enrichment = (Map<String, Object>) n.get("enrichment");
        List<String[]> sv = new ArrayList<>();
        if (enrichment != null && enrichment.get("servers") instanceof List<?> l) {
          for (Object x : l) {
            if (x instanceof Map<?, ?> srv && srv.get("ip") instanceof String ip && srv.get("role") instanceof String role) {
              sv.add(new String[] {ip, role});
            }
          }
        }
        Map<String, Object> evidence = (Map<String, Object>) n.get("evidence");
        String stage = text(n, "stage");
        Object fqdn = "cc_resolution".equals(stage) && evidence != null ? evidence.get("fqdn") : null;
        if (!(n.get("@timestamp") instanceof String stamp) || !isoTime(stamp)) {
          skipped++;
          continue;
        }
        Object first = evidence == null ? null : evidence.get("first_seen");
        String firstIso = null;
        if (first != null) {
          try {
            long us = org.bottrace.event.Micros.parseAny(first.toString());
            firstIso = us == org.bottrace.event.Micros.UNSET ? null : org.bottrace.event.Micros.formatIso(us);
          } catch (RuntimeException notATime) {
            firstIso = null; // the notice's own time serves
          }
        }
        c.add(new Seen(String.valueOf(n.get("note")), text(n, "src"), text(n, "dst"),
            p instanceof Number x ? x.intValue() : -1, stage, text(n, "actor"), text(n, "severity"),
            n.get("confidence") instanceof Number conf ? conf.doubleValue() : 0, text(n, "@timestamp"), firstIso, sv,
            fqdn == null ? null : fqdn.toString(), enrichment));
        if (n.get("@timestamp") instanceof String at) {
          c.fileTimes.add(at);
        }
      }
    }
    if (skipped > 0) {
      spec.commandLine().getErr().println("bottrace report: " + f + ": skipped " + skipped + " line(s) that are not"
          + " JSON notices (a Zeek-format notice log cannot be read back: run with --format json)");
    }
  }

  /** What the report is made from, and the log time it spans. */
  private Report.Scope scope(RunStats replayed, Collect c) {
    List<String> sources = new ArrayList<>();
    sources.addAll(paths);
    for (Path f : noticeFiles) {
      sources.add(f.toString());
    }
    if (serversFile != null) {
      sources.add(serversFile.toString());
    }
    String what = !paths.isEmpty() && !noticeFiles.isEmpty() ? "logs replayed and notice files"
        : !paths.isEmpty() ? "logs replayed" : !noticeFiles.isEmpty() ? "notice files of a run" : "a list of servers";
    String from = null;
    String to = null;
    if (replayed.lastTs() != Long.MIN_VALUE) {
      from = org.bottrace.event.Micros.formatIso(replayed.firstTs());
      to = org.bottrace.event.Micros.formatIso(replayed.lastTs());
    }
    for (String at : c.times()) {
      from = from == null || at.compareTo(from) < 0 ? at : from;
      to = to == null || at.compareTo(to) > 0 ? at : to;
    }
    return new Report.Scope(what, sources, from, to);
  }

  /** Whether {@code s} is an ISO 8601 time as bottrace writes them (its @timestamp). */
  private static boolean isoTime(String s) {
    try {
      org.bottrace.event.Micros.parseIso(s);
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static String text(Map<String, Object> n, String k) {
    return n.get(k) == null ? null : n.get(k).toString();
  }

  private static List<String[]> read(Path f) throws ConfigException, IOException {
    List<String[]> out = new ArrayList<>();
    if (f == null) {
      return out;
    }
    if (!Files.isRegularFile(f)) {
      throw new ConfigException("command line", "--servers", "no such file: " + f);
    }
    int no = 0;
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      no++;
      String t = line.replaceFirst("#.*", "").strip();
      if (t.isEmpty()) {
        continue;
      }
      String[] w = t.split("\\s+");
      if (!Addresses.isAddress(w[0])) {
        throw new ConfigException(f.toString(), "line " + no, "expected an IP address first, found '" + w[0] + "'");
      }
      out.add(w);
    }
    return out;
  }
}
