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

/** {@code bottrace report}: document 004's tables for the servers of a replay or of a list the user gives. */
@Command(name = "report", mixinStandardHelpOptions = true,
    description = {"Document 004's tables (S25R, lists, open IRC servers and lifetimes, administrator classes per",
        "country, traceability through k stepping stones, herders) for the servers bottrace finds in the logs",
        "given, or for the servers listed in --servers (as the paper did with the Malware Domain List)."},
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
    Pipeline pipeline = new Pipeline(s, keep, diag, new RunStats());
    if (!paths.isEmpty()) {
      new Replay(Inputs.expand(paths), pipeline, diag, s.lateness().toNanos() / 1000, new RunStats(), null).run();
    }
    Map<String, Report.Server> servers = new LinkedHashMap<>();
    List<String> herders = new ArrayList<>();
    Collect c = new Collect();
    for (Notice n : keep.notices) {
      c.add(n.finding().note(), n.finding().src(), n.finding().dst(), n.finding().p(), n.finding().evidence(),
          n.enrichment());
      c.host(n.finding().note(), n.finding().src(), n.finding().severity().label(), n.finding().confidence(),
          org.bottrace.event.Micros.formatIso(n.finding().ts()));
    }
    for (Path f : noticeFiles) {
      fromNoticeFile(f, c);
    }
    servers.putAll(c.servers);
    herders.addAll(c.herders);
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
    Report r = new Report(new ArrayList<>(servers.values()), control, herders, new ArrayList<>(c.botnets.values()),
        c.hosts());
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

  /** The servers, herders and botnets of the notices, whichever way they came. */
  static final class Collect {
    final Map<String, Report.Server> servers = new LinkedHashMap<>();
    final List<String> herders = new ArrayList<>();
    final Map<String, Report.Botnet> botnets = new LinkedHashMap<>();
    final Map<String, String> botOf = new LinkedHashMap<>(); // bot host -> botnet key
    /** The notes whose src is a host acting for a botnet (a bot, a herder). */
    static final java.util.Set<String> HOST_NOTES = java.util.Set.of("IRC::BotClient", "IRC::FlowBotnet",
        "IRC::Herder", "Bot::Infection", "Bot::Download", "Scan::Propagation", "C2::Beacon", "DNS::NXDomainBurst");
    final Map<String, Object[]> hosts = new java.util.TreeMap<>(); // ip -> {notes, severity, confidence, first, last}

    /** A notice about a host acting for a botnet: its note, severity, confidence and time join the host's row. */
    void host(String note, String src, String severity, double confidence, String at) {
      org.bottrace.detect.Finding.Severity s = org.bottrace.detect.Finding.Severity.of(severity);
      if (!HOST_NOTES.contains(note) || src == null || s == null || at == null) {
        return;
      }
      Object[] h = hosts.computeIfAbsent(src, k -> new Object[] {new java.util.TreeSet<String>(), s, confidence, at, at});
      @SuppressWarnings("unchecked")
      java.util.TreeSet<String> notes = (java.util.TreeSet<String>) h[0];
      notes.add(note);
      if (s.compareTo((org.bottrace.detect.Finding.Severity) h[1]) > 0) {
        h[1] = s;
      }
      h[2] = Math.max((double) h[2], confidence);
      h[3] = at.compareTo((String) h[3]) < 0 ? at : h[3];
      h[4] = at.compareTo((String) h[4]) > 0 ? at : h[4];
    }

    /** The hosts, most severe first, then by address. */
    @SuppressWarnings("unchecked")
    List<Report.Host> hosts() {
      List<Report.Host> out = new ArrayList<>();
      for (Map.Entry<String, Object[]> e : hosts.entrySet()) {
        Object[] h = e.getValue();
        out.add(new Report.Host(e.getKey(), (java.util.TreeSet<String>) h[0],
            ((org.bottrace.detect.Finding.Severity) h[1]).label(), (double) h[2], (String) h[3], (String) h[4]));
      }
      out.sort(java.util.Comparator.comparing((Report.Host h) ->
          -org.bottrace.detect.Finding.Severity.of(h.severity()).ordinal()).thenComparing(Report.Host::ip));
      return out;
    }

    @SuppressWarnings("unchecked")
    void add(String note, String src, String dst, int p, Map<String, Object> evidence, Map<String, Object> enrichment) {
      if ("IRC::Herder".equals(note) && src != null) {
        herders.add(src);
      }
      Object sv = enrichment == null ? null : enrichment.get("servers");
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
      if ("IRC::CCServer".equals(note) && dst != null) {
        String key = dst + ":" + p;
        Report.Botnet b = botnets.computeIfAbsent(key, k -> new Report.Botnet(dst, p));
        Object bots = evidence == null ? null : evidence.get("bots");
        if (bots instanceof List) {
          for (Object h : (List<Object>) bots) {
            b.bots().add(String.valueOf(h));
            botOf.put(String.valueOf(h), key);
          }
        }
        Object hs = evidence == null ? null : evidence.get("herders");
        if (hs instanceof List) {
          for (Object h : (List<Object>) hs) {
            b.herders().add(String.valueOf(h));
          }
        }
      } else if ("DNS::CCResolution".equals(note) && src != null && evidence != null) {
        Report.Botnet b = botnets.get(botOf.get(src));
        if (b != null && evidence.get("dns_server") != null) {
          b.dns().add(String.valueOf(evidence.get("dns_server")));
          b.names().add(String.valueOf(evidence.get("fqdn")));
        }
      } else if ("Bot::Download".equals(note) && src != null && dst != null) {
        Report.Botnet b = botnets.get(botOf.get(src));
        if (b != null) {
          b.downloads().add(dst);
        }
      }
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
        c.add(String.valueOf(n.get("note")), n.get("src") == null ? null : n.get("src").toString(),
            n.get("dst") == null ? null : n.get("dst").toString(), p instanceof Number x ? x.intValue() : -1,
            (Map<String, Object>) n.get("evidence"), (Map<String, Object>) n.get("enrichment"));
        if (n.get("severity") instanceof String sev && n.get("confidence") instanceof Number conf
            && n.get("@timestamp") instanceof String at) {
          c.host(String.valueOf(n.get("note")), n.get("src") == null ? null : n.get("src").toString(), sev,
              conf.doubleValue(), at);
        }
      }
    }
    if (skipped > 0) {
      spec.commandLine().getErr().println("bottrace report: " + f + ": skipped " + skipped + " line(s) that are not"
          + " JSON notices (a Zeek-format notice log cannot be read back: run with --format json)");
    }
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
