package org.bottrace.pipeline;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.match.DomainSet;
import org.bottrace.match.IpSet;

/**
 * The top level of the configuration file; every key and default is documented in
 * {@code src/main/resources/reference.yaml}. Detector sections are read by the detectors themselves.
 *
 * @param file how messages name the configuration
 * @param home the home networks
 * @param homeText the home networks as written
 * @param allowHosts allowlisted hosts and networks
 * @param allowDomains allowlisted domains (and their subdomains)
 * @param lateness how far behind the watermark a record may arrive before it counts as late
 * @param idleAdvance follow mode: after this long without input from a source, the wall clock may
 *     advance its watermark
 * @param maxEntries default size bound of each cache
 * @param compactState whether state for keys met by the million lives in compact tables (false: in
 *     Caffeine caches; more memory and time, the same notices)
 * @param suppressInterval the same note, src, dst and sub is written at most once per this interval
 * @param format notice format: json or zeek
 * @param minSeverity notices less severe are not written (the correlating detectors still see them)
 * @param detectors the {@code detectors:} section, for the detectors to consume
 * @param enrichment the {@code enrichment:} section, for the server enrichment to consume
 * @param follow the {@code follow:} section (bottrace run)
 * @param top the whole file, for its top-level {@code lists:} (declared once, used by name everywhere)
 */
public record Settings(String file, IpSet home, List<String> homeText, IpSet allowHosts, DomainSet allowDomains,
    Duration lateness, Duration idleAdvance, long maxEntries, boolean compactState, Duration suppressInterval,
    String format,
    org.bottrace.finding.Finding.Severity minSeverity, ConfigNode detectors, ConfigNode enrichment,
    FollowSettings follow, KafkaSettings kafka, StreamsSettings streams, ConfigNode feedback, ConfigNode top) {

  /**
   * The Kafka Streams application (bottrace-streams.jar; the {@code streams:} section).
   *
   * @param applicationId Streams' application.id: its consumer group and the prefix of its internal topics
   * @param stateDir where the state stores live on this instance, or null (Kafka Streams' default)
   * @param threads stream threads of this instance
   * @param snapshotRecords a task's whole state is written to its store after at least this many records, once
   *     the records kept since (processed again after a restore) outweigh the last snapshot
   * @param reportWhenIdle after this long without records (wall clock), a task reports what its detectors hold
   *     pending, as run's --stop-when-idle does; null: never
   * @param properties Kafka Streams properties passed on as they are
   */
  public record StreamsSettings(String applicationId, Path stateDir, int threads, long snapshotRecords,
      Duration reportWhenIdle, java.util.Map<String, String> properties) {
    /** The same with command-line overrides (null: keep). */
    public StreamsSettings with(String app, Path dir, Integer threadsGiven) {
      return new StreamsSettings(app != null ? app : applicationId, dir != null ? dir : stateDir,
          threadsGiven != null ? threadsGiven : threads, snapshotRecords, reportWhenIdle, properties);
    }
  }

  /** These settings with other kafka: and streams: sections (the command line's overrides). */
  /** Whether the allowlist covers the finding: its source, its destination or a name it carries. */
  public boolean allowlisted(org.bottrace.finding.Finding f) {
    if (allowHosts.contains(f.src()) || allowHosts.contains(f.dst())) {
      return true;
    }
    for (String n : f.names()) {
      if (allowDomains.lookup(n) != null) {
        return true;
      }
    }
    return false;
  }

  /** Whether the allowlist covers {@code host}, an address or a name. */
  public boolean allowlisted(String host) {
    return allowHosts.contains(host) || allowDomains.lookup(host) != null;
  }

  public Settings with(KafkaSettings k, StreamsSettings st) {
    return new Settings(file, home, homeText, allowHosts, allowDomains, lateness, idleAdvance, maxEntries, compactState,
        suppressInterval, format, minSeverity, detectors, enrichment, follow, k, st, feedback, top);
  }

  /**
   * Kafka as input and output of {@code bottrace run} (the {@code kafka:} section).
   *
   * @param bootstrapServers host:port,... of the cluster, or null (no Kafka)
   * @param topics the topics of Zeek and Suricata records read
   * @param topicLogs topic to Zeek log, for plain Zeek JSON topics whose name does not say
   * @param groupId the consumer group offsets are committed to after each checkpoint, or null
   * @param noticesTopic the topic notices are produced to, or null
   * @param deadLetterTopic the topic records bottrace cannot read are produced to, as they were, or null
   * @param timeout how long a call to the cluster may take before it counts as failed
   * @param properties Kafka client properties passed on as they are (security.protocol, sasl.*, ssl.*)
   */
  public record KafkaSettings(String bootstrapServers, List<String> topics, java.util.Map<String, String> topicLogs,
      String groupId, String noticesTopic, String deadLetterTopic, Duration timeout,
      java.util.Map<String, String> properties) {
    /** Whether Kafka is configured at all. */
    public boolean enabled() {
      return bootstrapServers != null;
    }

    /** The same with command-line overrides (null: keep). */
    public KafkaSettings with(String bootstrap, List<String> topicsGiven, String notices) {
      return new KafkaSettings(bootstrap != null ? bootstrap : bootstrapServers,
          topicsGiven != null && !topicsGiven.isEmpty() ? List.copyOf(topicsGiven) : topics, topicLogs, groupId,
          notices != null ? notices : noticesTopic, deadLetterTopic, timeout, properties);
    }
  }

  /**
   * Where and how {@code bottrace run} follows logs.
   *
   * @param zeekDir the folder Zeek writes its current logs to, or null
   * @param zeekLogs the log files followed in it
   * @param eve Suricata EVE files followed
   * @param logs other log files followed (any format bottrace reads)
   * @param archiveDirs where rotated logs may be found after a restart (besides their own folder)
   * @param stateDir where checkpoints are kept, or null (no checkpoints)
   * @param out the notice file, or null for stdout
   * @param fromStart first start: read what the files hold already (else start at their ends)
   * @param pollInterval how often the files are looked at when nothing is new
   * @param checkpointInterval how often (wall clock) a checkpoint is written
   * @param statusInterval how often a status line is printed
   * @param statusFile the same status as JSON, rewritten at each status line, or null
   * @param maxNoticeBytes the notice file is renamed aside (FILE.1, FILE.2, ...) and begun anew past this size; 0: never
   */
  public record FollowSettings(Path zeekDir, List<String> zeekLogs, List<Path> eve, List<Path> logs, List<Path> archiveDirs,
      Path stateDir, Path out, boolean fromStart, Duration pollInterval, Duration checkpointInterval,
      Duration statusInterval, Path statusFile, long maxNoticeBytes) {}

  /** The Zeek logs bottrace follows in a Zeek log folder. */
  public static final List<String> ZEEK_LOGS = List.of("conn.log", "conn_long.log", "dns.log", "files.log", "http.log", "irc.log",
      "irc_cmd.log", "irc_open.log", "irc_pkt.log", "open_conn.log", "pe.log");

  /** RFC 1918. */
  public static final List<String> DEFAULT_HOME = List.of("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16");

  /** Settings when no configuration file is given. */
  public static Settings defaults() {
    try {
      return read(ConfigNode.empty("(defaults)", ""));
    } catch (ConfigException e) {
      throw new IllegalStateException("the defaults do not validate: " + e.getMessage(), e);
    }
  }

  /**
   * Reads a configuration file (YAML; JSON is YAML too).
   *
   * @throws ConfigException if it is missing, unreadable, not YAML, or any key is wrong
   */
  public static Settings load(Path path) throws ConfigException {
    String name = path.toString();
    JsonNode root;
    try {
      byte[] bytes = Files.readAllBytes(path);
      root = new ObjectMapper(new YAMLFactory())
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION).readTree(bytes);
    } catch (NoSuchFileException e) {
      throw new ConfigException(name, "", "no such file");
    } catch (JacksonException e) {
      String m = e.getOriginalMessage();
      throw new ConfigException(name, "", "not valid YAML: " + (m == null ? e.getClass().getSimpleName()
          : m.lines().findFirst().orElse(m)) + locate(e));
    } catch (IOException e) {
      throw new ConfigException(name, "", "cannot be read: " + e.getMessage());
    }
    if (root == null || root.isMissingNode() || root.isNull()) {
      root = new ObjectMapper().createObjectNode();
    }
    if (!root.isObject()) {
      throw new ConfigException(name, "", "expected a section of keys at the top, found " + root.getNodeType());
    }
    Path dir = path.toAbsolutePath().getParent();
    return read(new ConfigNode(name, dir, "", (ObjectNode) root));
  }

  private static String locate(JacksonException e) {
    return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
        + e.getLocation().getColumnNr() + ")";
  }

  private static Settings read(ConfigNode c) throws ConfigException {
    List<String> homeText = c.strings("home_networks", DEFAULT_HOME);
    IpSet home = networks(c, "home_networks", homeText);
    ConfigNode allow = c.child("allowlist");
    IpSet allowHosts = new IpSet();
    for (String h : allow.strings("hosts", List.of())) {
      if (h.contains("/") || !allowHosts.add(h, h)) {
        throw allow.error("hosts", "expected IP addresses, found '" + h + "' (networks go under allowlist.networks)");
      }
    }
    for (String n : allow.strings("networks", List.of())) {
      if (!allowHosts.add(n, n)) {
        throw allow.error("networks", "expected networks in CIDR form such as 192.0.2.0/24, found '" + n + "'");
      }
    }
    DomainSet allowDomains = new DomainSet();
    for (String d : allow.strings("domains", List.of())) {
      if (!allowDomains.add(d, d)) {
        throw allow.error("domains", "expected DNS names such as example.com, found '" + d + "'");
      }
    }
    allow.finish();
    ConfigNode time = c.child("time");
    Duration lateness = time.duration("lateness", Duration.ofSeconds(60));
    Duration idle = time.duration("idle_advance", Duration.ofMinutes(5));
    time.finish();
    ConfigNode state = c.child("state");
    long maxEntries = state.integer("max_entries", 100_000, 100, 100_000_000);
    boolean compact = state.bool("compact", true);
    state.finish();
    ConfigNode notices = c.child("notices");
    Duration suppress = notices.duration("suppress_interval", Duration.ofHours(1));
    String format = notices.string("format", "json");
    if (!org.bottrace.sink.NoticeSink.FORMATS.contains(format)) {
      throw notices.error("format", "expected json, ecs or zeek, found '" + format + "'");
    }
    String least = notices.string("min_severity", "informational");
    org.bottrace.finding.Finding.Severity minSeverity = org.bottrace.finding.Finding.Severity.of(least);
    if (minSeverity == null) {
      throw notices.error("min_severity", "expected informational, low, medium, high or critical, found '" + least + "'");
    }
    notices.finish();
    ConfigNode detectors = c.child("detectors");
    ConfigNode enrichment = c.child("enrichment");
    FollowSettings follow = follow(c.child("follow"));
    KafkaSettings kafka = kafka(c.child("kafka"));
    StreamsSettings streams = streams(c.child("streams"));
    ConfigNode feedback = c.child("feedback");
    c.consumed("lists"); // read by the pipeline, which shares the lists with every section
    c.finish();
    return new Settings(c.file(), home, homeText, allowHosts, allowDomains, lateness, idle, maxEntries, compact, suppress,
        format, minSeverity, detectors, enrichment, follow, kafka, streams, feedback, c);
  }

  /** Why {@code p} cannot be a folder bottrace writes into (it is a file), or null (it may not exist yet). */
  public static String notAFolder(Path p) {
    return p != null && Files.exists(p) && !Files.isDirectory(p) ? p + " is a file, not a folder" : null;
  }

  /** Why {@code p} cannot be a file bottrace writes (it is a folder, or its folder is missing), or null. */
  public static String notAFile(Path p) {
    if (p == null) {
      return null;
    }
    if (Files.isDirectory(p)) {
      return p + " is a folder, not a file";
    }
    Path dir = p.toAbsolutePath().getParent();
    return dir != null && !Files.isDirectory(dir) ? "the folder of " + p + " does not exist" : null;
  }

  private static FollowSettings follow(ConfigNode f) throws ConfigException {
    Path zeekDir = f.path("zeek_dir");
    List<String> logs = f.strings("zeek_logs", ZEEK_LOGS);
    for (String l : logs) {
      if (l.contains("/") || l.isBlank()) {
        throw f.error("zeek_logs", "expected file names in zeek_dir such as conn.log, found '" + l + "'");
      }
    }
    List<Path> eve = new java.util.ArrayList<>();
    for (String e : f.strings("eve", List.of())) {
      eve.add(f.resolve(e));
    }
    List<Path> others = new java.util.ArrayList<>();
    for (String e : f.strings("logs", List.of())) {
      others.add(f.resolve(e));
    }
    List<Path> archives = new java.util.ArrayList<>();
    for (String a : f.strings("archive_dirs", List.of())) {
      archives.add(f.resolve(a));
    }
    Path state = f.path("state_dir");
    Path out = f.path("out");
    boolean fromStart = f.bool("from_start", false);
    Duration poll = f.positiveDuration("poll_interval", Duration.ofMillis(250));
    Duration checkpoint = f.positiveDuration("checkpoint_interval", Duration.ofSeconds(10));
    Duration status = f.positiveDuration("status_interval", Duration.ofMinutes(1));
    Path statusFile = f.path("status_file");
    long maxBytes = f.integer("max_notice_bytes", 0, 0, Long.MAX_VALUE);
    for (String[] k : new String[][] {{"state_dir", "folder"}, {"out", "file"}, {"status_file", "file"}}) {
      Path p = k[0].equals("state_dir") ? state : k[0].equals("out") ? out : statusFile;
      String problem = k[1].equals("folder") ? notAFolder(p) : notAFile(p);
      if (problem != null) {
        throw f.error(k[0], problem);
      }
    }
    f.finish();
    return new FollowSettings(zeekDir, List.copyOf(logs), List.copyOf(eve), List.copyOf(others), List.copyOf(archives),
        state, out,
        fromStart, poll, checkpoint, status, statusFile, maxBytes);
  }

  private static StreamsSettings streams(ConfigNode st) throws ConfigException {
    String app = st.string("application_id", "bottrace");
    if (!app.matches("[a-zA-Z0-9._-]{1,200}")) {
      throw st.error("application_id", "expected letters, digits, '.', '_', '-' (it names Kafka topics), found '"
          + app + "'");
    }
    Path dir = st.path("state_dir");
    String problem = notAFolder(dir);
    if (problem != null) {
      throw st.error("state_dir", problem);
    }
    int threads = (int) st.integer("threads", 1, 1, 256);
    long snapshot = st.integer("snapshot_records", 10_000, 1, 100_000_000);
    Duration report = st.has("report_when_idle") ? st.positiveDuration("report_when_idle", null) : null;
    java.util.Map<String, String> props = new java.util.LinkedHashMap<>();
    ConfigNode pn = st.child("properties");
    for (String key : pn.keys()) {
      if (key.equals("application.id") || key.equals("bootstrap.servers") || key.equals("processing.guarantee")
          || key.equals("state.dir") || key.equals("num.stream.threads") || key.startsWith("default.")) {
        throw pn.error(key, "set by bottrace (application_id, kafka.bootstrap_servers, state_dir, threads) or fixed by"
            + " it (exactly_once_v2, its own serdes and timestamps); remove it");
      }
      props.put(key, pn.string(key, null));
    }
    pn.finish();
    st.finish();
    return new StreamsSettings(app, dir, threads, snapshot, report, java.util.Map.copyOf(props));
  }

  private static KafkaSettings kafka(ConfigNode k) throws ConfigException {
    String bootstrap = k.string("bootstrap_servers", null);
    List<String> topics = k.strings("topics", List.of());
    for (String t : topics) {
      if (!t.matches("[a-zA-Z0-9._-]{1,249}")) {
        throw k.error("topics", "expected Kafka topic names (letters, digits, '.', '_', '-'), found '" + t + "'");
      }
    }
    java.util.Map<String, String> topicLogs = new java.util.LinkedHashMap<>();
    ConfigNode tl = k.child("topic_logs");
    for (String t : tl.keys()) {
      String log = tl.string(t, null);
      if (log == null || !org.bottrace.source.ZeekKinds.names().contains(log)) {
        throw tl.error(t, "expected a Zeek log bottrace reads (" + String.join(", ", org.bottrace.source.ZeekKinds.names())
            + "), found '" + log + "'");
      }
      topicLogs.put(t, log);
    }
    tl.finish();
    String group = k.string("group_id", "bottrace");
    String notices = k.string("notices_topic", null);
    String dead = k.string("dead_letter_topic", null);
    for (String[] t : new String[][] {{"notices_topic", notices}, {"dead_letter_topic", dead}}) {
      if (t[1] != null && !t[1].matches("[a-zA-Z0-9._-]{1,249}")) {
        throw k.error(t[0], "expected a Kafka topic name (letters, digits, '.', '_', '-'), found '" + t[1] + "'");
      }
    }
    Duration timeout = k.positiveDuration("timeout", Duration.ofSeconds(30));
    java.util.Map<String, String> props = new java.util.LinkedHashMap<>();
    ConfigNode pn = k.child("properties");
    for (String key : pn.keys()) {
      if (key.equals("bootstrap.servers") || key.equals("group.id") || key.endsWith(".deserializer")
          || key.endsWith(".serializer") || key.equals("enable.auto.commit")) {
        throw pn.error(key, "set by bottrace (bootstrap_servers, group_id) or fixed by it; remove it");
      }
      props.put(key, pn.string(key, null));
    }
    pn.finish();
    k.finish(); // whether topics and the cluster go together is checked with the command line's overrides
    return new KafkaSettings(bootstrap, List.copyOf(topics), java.util.Map.copyOf(topicLogs),
        group == null || group.isBlank() ? null : group, notices, dead, timeout, java.util.Map.copyOf(props));
  }

  private static IpSet networks(ConfigNode c, String key, List<String> text) throws ConfigException {
    IpSet s = new IpSet();
    for (String n : text) {
      if (!s.add(n, n)) {
        throw c.error(key, "expected networks in CIDR form such as 10.0.0.0/8, found '" + n + "'");
      }
    }
    return s;
  }
}
