package org.bottrace.feedback;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.finding.Finding;

/**
 * What bottrace found, fed back to the sensors: the C&amp;C servers, download servers and herders of the
 * findings that are severe and sure enough, as a Zeek Intel file and as Suricata datasets and IP
 * reputation (see {@link FeedbackFiles}). An entry is renewed by every finding that names it and withdrawn
 * when none has for {@code expire} of log time, or when the allowlist comes to cover it: it then stays in
 * the Intel file for {@code keep_removed} with {@code meta.remove T}, so that Zeek (which never forgets an
 * item by itself) removes it when it reads the file again, and leaves the Suricata files at once.
 *
 * <p>Only what passed validation becomes an entry: an address, a DNS name, a URL of a restricted
 * alphabet. Its description is bottrace's own words (the roles and the notes), never text from a log.
 * The entries and their times are kept in {@code bottrace-feedback.json} beside the files, so that a
 * restart withdraws what a previous run wrote.
 */
public final class Feedback {
  /** The kinds of indicator, as Zeek's Intel framework names them. */
  public enum Type {
    ADDR, DOMAIN, URL;

    String zeek() {
      return "Intel::" + name();
    }
  }

  /** What an indicator is to a botnet. */
  public enum Role {
    CC, DOWNLOAD, HERDER;

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Role of(String label) {
      for (Role r : values()) {
        if (r.label().equals(label)) {
          return r;
        }
      }
      return null;
    }
  }

  /** One indicator (concrete fields: kept in the state file). */
  static final class Entry {
    Type type;
    String indicator;
    TreeSet<Role> roles = new TreeSet<>();
    TreeSet<String> notes = new TreeSet<>();
    long first;
    long last;
    double confidence;
    /**
     * When it was withdrawn (log time), -1 while it is live, Long.MIN_VALUE when withdrawn before any log
     * time was seen (stamped by the next tick).
     */
    long removed = -1;
    /** Whether a write of the files has held its withdrawal (meta.remove T) since it was withdrawn. */
    boolean removedWritten;

    boolean live() {
      return removed == -1;
    }
  }

  /** The state file's name, beside the feedback files. */
  static final String STATE = "bottrace-feedback.json";
  private static final long WRITE_EVERY = 5_000_000L; // log time between two writes of changed files

  private final Path dir;
  private final Finding.Severity minSeverity;
  private final double minConfidence;
  private final long expire;
  private final long keepRemoved;
  private final Consumer<String> warn;
  private final TreeMap<String, Entry> entries = new TreeMap<>(); // type|indicator
  /** The latest C&amp;C resolution per C&amp;C address, waiting for the verdict on the address (bounded). */
  private final Map<String, Finding> resolutions = new java.util.LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Finding> eldest) {
      return size() > 10_000;
    }
  };
  private long clock = Long.MIN_VALUE;
  private long written = Long.MIN_VALUE;
  private boolean dirty;
  private boolean failing;

  private Feedback(Path dir, Finding.Severity minSeverity, double minConfidence, Duration expire, Duration keepRemoved,
      Consumer<String> warn) {
    this.dir = dir;
    this.minSeverity = minSeverity;
    this.minConfidence = minConfidence;
    this.expire = expire.toNanos() / 1000;
    this.keepRemoved = keepRemoved.toNanos() / 1000;
    this.warn = warn;
  }

  /**
   * The feedback the {@code feedback:} section asks for, or null when it names no folder ({@code dir}
   * overrides its {@code dir} key, as {@code --feedback-dir} does).
   *
   * @throws ConfigException naming the key when a value is wrong or the folder cannot be written
   */
  public static Feedback create(ConfigNode c, Path dirOverride, Consumer<String> warn, boolean checkOnly)
      throws ConfigException {
    Path configured = c.path("dir");
    String sev = c.string("min_severity", "high");
    Finding.Severity min = Finding.Severity.of(sev);
    if (min == null) {
      throw c.error("min_severity", "expected informational, low, medium, high or critical, found '" + sev + "'");
    }
    double conf = c.number("min_confidence", 0.75, 0, 1);
    Duration expire = c.positiveDuration("expire", Duration.ofDays(7));
    Duration keep = c.positiveDuration("keep_removed", Duration.ofDays(1));
    c.finish();
    Path dir = dirOverride != null ? dirOverride : configured;
    if (dir == null) {
      return null;
    }
    // a wrong folder is the option's fault when --feedback-dir gave it, else the key's
    java.util.function.Function<String, ConfigException> wrong = why -> dirOverride != null
        ? new ConfigException("command line", "--feedback-dir", why) : c.error("dir", why);
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw wrong.apply(dir + " is a file, not a folder");
    }
    Feedback f = new Feedback(dir, min, conf, expire, keep, warn);
    if (checkOnly) {
      return f;
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw wrong.apply("cannot create the folder " + dir + ": " + org.bottrace.source.IoCause.of(e));
    }
    if (!Files.isWritable(dir)) {
      throw wrong.apply("cannot write into " + dir);
    }
    f.load();
    f.dirty = true;
    f.flush(); // the files exist from the start, even with nothing found yet: Suricata's rules need them
    return f;
  }

  /** Where the files go. */
  public Path dir() {
    return dir;
  }

  /** A finding that passed the allowlist: its servers, herder, C&amp;C name and download URL become entries. */
  public void offer(Finding f) {
    tick(f.ts());
    if (f.stage() == Finding.Stage.CC_RESOLUTION && f.confidence() >= minConfidence) {
      // the name a bot resolved its C&C by becomes an entry with that C&C (a resolution is context, rated
      // low, and may come before the verdict on the address)
      for (Finding.Server s : f.servers()) {
        String ip = s.role() == Finding.Role.CC ? FeedbackFiles.valid(Type.ADDR, s.ip()) : null;
        if (ip != null) {
          resolutions.put(ip, f);
          ccNames(ip);
        }
      }
    }
    if (f.severity().compareTo(minSeverity) < 0 || f.confidence() < minConfidence) {
      return;
    }
    for (Finding.Server s : f.servers()) {
      if (s.role() == Finding.Role.CC) {
        add(Type.ADDR, s.ip(), Role.CC, f);
        ccNames(FeedbackFiles.valid(Type.ADDR, s.ip()));
      } else if (s.role() == Finding.Role.DOWNLOAD) {
        add(Type.ADDR, s.ip(), Role.DOWNLOAD, f);
      }
    }
    if (f.acting() == Finding.Actor.HERDER) {
      add(Type.ADDR, f.src(), Role.HERDER, f);
    }
    if (f.stage() == Finding.Stage.DOWNLOAD) {
      for (String n : f.names()) {
        add(Type.DOMAIN, n, Role.DOWNLOAD, f);
      }
      if (f.url() != null) {
        add(Type.URL, f.url(), Role.DOWNLOAD, f);
      }
    }
  }

  /** The names bots resolved the C&amp;C {@code ip} by, once it is a live C&amp;C entry. */
  private void ccNames(String ip) {
    Entry cc = ip == null ? null : entries.get(Type.ADDR + "|" + ip);
    Finding r = ip == null ? null : resolutions.get(ip);
    if (r != null && cc != null && cc.live() && cc.roles.contains(Role.CC)) {
      for (String n : r.names()) {
        add(Type.DOMAIN, n, Role.CC, r);
      }
    }
  }

  private void add(Type t, String raw, Role role, Finding f) {
    String ind = FeedbackFiles.valid(t, raw);
    if (ind == null) {
      return;
    }
    Entry e = entries.computeIfAbsent(t + "|" + ind, k -> {
      Entry n = new Entry();
      n.type = t;
      n.indicator = ind;
      n.first = f.ts();
      n.last = f.ts();
      return n;
    });
    boolean changed = e.roles.add(role);
    changed |= e.notes.add(f.note());
    changed |= !e.live();
    changed |= f.ts() > e.last; // a renewal: the state file keeps it (the sensors' files do not change)
    e.removed = -1;
    e.removedWritten = false;
    e.first = Math.min(e.first, f.ts());
    e.last = Math.max(e.last, f.ts());
    if (f.confidence() > e.confidence) {
      e.confidence = f.confidence();
      changed = true;
    }
    dirty |= changed;
  }

  /**
   * Log time has reached {@code now}: withdraws what expired, drops what was withdrawn long enough ago, and
   * writes the files when they changed (at most every 5 s of log time). The end of input (Long.MAX_VALUE)
   * is no time.
   */
  public void tick(long now) {
    if (now == Long.MAX_VALUE || now <= clock) {
      return;
    }
    clock = now;
    for (Entry e : entries.values()) {
      if (e.removed == Long.MIN_VALUE) {
        e.removed = clock; // withdrawn before log time began (at start, by the allowlist)
      }
    }
    for (java.util.Iterator<Entry> it = entries.values().iterator(); it.hasNext();) {
      Entry e = it.next();
      if (e.live() && clock - e.last > expire) {
        e.removed = clock; // withdrawn now: its meta.remove T line is in the files from the next write
        dirty = true;
      } else if (!e.live() && e.removedWritten && clock - e.removed > keepRemoved) {
        it.remove(); // the sensors have had its removal for keep_removed
        dirty = true;
      }
    }
    if (dirty && (written == Long.MIN_VALUE || clock - written >= WRITE_EVERY)) {
      write();
    }
  }

  /**
   * The latest log time it has seen: its clock, else (before the first tick) the newest time its state file
   * holds, else Long.MIN_VALUE.
   */
  public long latest() {
    long t = clock;
    for (Entry e : entries.values()) {
      t = Math.max(t, Math.max(e.last, e.removed));
    }
    return t;
  }

  /** Withdraws every live entry {@code covered} says (an address or name the allowlist now covers). */
  public void withdraw(Predicate<String> covered) {
    for (Entry e : entries.values()) {
      String host = e.type == Type.URL ? FeedbackFiles.urlHost(e.indicator) : e.indicator;
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      if (e.live() && covered.test(host)) {
        e.removed = clock == Long.MIN_VALUE ? Long.MIN_VALUE : clock; // stamped by the first tick if not yet
        e.removedWritten = false;
        dirty = true;
      }
    }
  }

  /** Writes the files now if anything changed since they were last written. */
  public void flush() {
    if (dirty) {
      write();
    }
  }

  private void write() {
    try {
      FeedbackFiles.write(dir, List.copyOf(entries.values()));
      for (Entry e : entries.values()) {
        e.removedWritten |= !e.live();
      }
      FeedbackFiles.replace(dir.resolve(STATE), state());
      dirty = false;
      written = clock;
      if (failing) {
        warn.accept("feedback files in " + dir + " written again");
        failing = false;
      }
    } catch (IOException e) {
      if (!failing) {
        warn.accept("cannot write the feedback files in " + dir + ": " + org.bottrace.source.IoCause.of(e)
            + " (tried again with the next change)");
      }
      failing = true;
    }
  }

  /** The entries, live and withdrawn, in indicator order (for the tests and the status). */
  List<Entry> entries() {
    return List.copyOf(entries.values());
  }

  private byte[] state() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeNumberField("version", 1);
      g.writeArrayFieldStart("entries");
      for (Entry e : entries.values()) {
        g.writeStartObject();
        g.writeStringField("type", e.type.name());
        g.writeStringField("indicator", e.indicator);
        g.writeArrayFieldStart("roles");
        for (Role r : e.roles) {
          g.writeString(r.label());
        }
        g.writeEndArray();
        g.writeArrayFieldStart("notes");
        for (String n : e.notes) {
          g.writeString(n);
        }
        g.writeEndArray();
        g.writeNumberField("first", e.first);
        g.writeNumberField("last", e.last);
        g.writeNumberField("confidence", e.confidence);
        g.writeNumberField("removed", e.removed);
        g.writeBooleanField("removed_written", e.removedWritten);
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    out.write('\n');
    return out.toByteArray();
  }

  /** Reads the state a previous run left; what is unreadable is said and left out. */
  private void load() {
    Path p = dir.resolve(STATE);
    if (!Files.isRegularFile(p)) {
      return;
    }
    JsonNode root;
    try {
      root = new ObjectMapper().readTree(Files.readAllBytes(p));
    } catch (IOException e) {
      warn.accept(p + ": not readable, the feedback starts empty: " + e.getMessage());
      return;
    }
    if (root == null || root.path("version").asInt() != 1 || !root.path("entries").isArray()) {
      warn.accept(p + ": not a feedback state of this version, the feedback starts empty");
      return;
    }
    int skipped = 0;
    for (JsonNode n : root.get("entries")) {
      Type t;
      try {
        t = Type.valueOf(n.path("type").asText());
      } catch (IllegalArgumentException bad) {
        skipped++;
        continue;
      }
      String ind = FeedbackFiles.valid(t, n.path("indicator").asText());
      if (ind == null || !n.path("last").canConvertToLong()) {
        skipped++;
        continue;
      }
      Entry e = new Entry();
      e.type = t;
      e.indicator = ind;
      for (JsonNode r : n.path("roles")) {
        Role role = Role.of(r.asText());
        if (role != null) {
          e.roles.add(role);
        }
      }
      for (JsonNode x : n.path("notes")) {
        String note = x.asText();
        if (note.matches("[A-Za-z0-9]{1,20}::[A-Za-z0-9]{1,40}")) {
          e.notes.add(note);
        }
      }
      e.first = n.path("first").asLong();
      e.last = n.path("last").asLong();
      e.confidence = Math.max(0, Math.min(1, n.path("confidence").asDouble()));
      e.removed = n.path("removed").asLong(-1);
      e.removedWritten = n.path("removed_written").asBoolean(false);
      if (e.roles.isEmpty()) {
        skipped++;
        continue;
      }
      entries.put(t + "|" + ind, e);
    }
    if (skipped > 0) {
      warn.accept(p + ": left out " + skipped + (skipped == 1 ? " entry that is" : " entries that are") + " not valid");
    }
  }

  /** How many entries are live, per role (for the status and the run's summary). */
  public Map<String, Integer> counts() {
    Map<String, Integer> out = new TreeMap<>();
    for (Entry e : entries.values()) {
      if (e.live()) {
        for (Role r : e.roles) {
          out.merge(r.label(), 1, Integer::sum);
        }
      }
    }
    return out;
  }

  static String label(Entry e) {
    List<String> roles = new ArrayList<>();
    for (Role r : e.roles) {
      roles.add(r.label());
    }
    return "bottrace " + String.join(",", roles) + " (" + String.join(",", e.notes) + ")";
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
