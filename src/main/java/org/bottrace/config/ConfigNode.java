package org.bottrace.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A section of the configuration that its reader consumes key by key; {@link #finish()} then fails
 * on any key nobody asked for, listing the valid ones, so a typo never passes silently.
 */
public final class ConfigNode {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private final String file;
  private final Path baseDir;
  private final String prefix;
  private final ObjectNode node;
  private final Set<String> asked = new TreeSet<>();

  /**
   * @param file how messages name the file
   * @param baseDir relative paths in the file are resolved against this folder
   * @param prefix dotted path of this section ("" at the top)
   * @param node the section (an empty one when absent)
   */
  public ConfigNode(String file, Path baseDir, String prefix, ObjectNode node) {
    this.file = file;
    this.baseDir = baseDir;
    this.prefix = prefix;
    this.node = node == null ? JsonNodeFactory.instance.objectNode() : node;
  }

  /** An empty section (all defaults). */
  public static ConfigNode empty(String file, String prefix) {
    return new ConfigNode(file, Path.of("."), prefix, null);
  }

  /** The dotted name of a key in this section. */
  public String key(String k) {
    return prefix.isEmpty() ? k : prefix + "." + k;
  }

  /** How messages name the file. */
  public String file() {
    return file;
  }

  /** An error about a key of this section. */
  public ConfigException error(String k, String problem) {
    return new ConfigException(file, key(k), problem);
  }

  /**
   * When set (on this thread), every key a section is asked for is recorded with the default the code
   * gives it: the test that holds reference.yaml to the code's defaults (one source of defaults).
   */
  private static final ThreadLocal<java.util.Map<String, Object>> DEFAULTS = new ThreadLocal<>();

  /** Records, on this thread, every key asked for and its default into {@code into} (null: stop). */
  public static void recordDefaults(java.util.Map<String, Object> into) {
    if (into == null) {
      DEFAULTS.remove();
    } else {
      DEFAULTS.set(into);
    }
  }

  private void record(String k, Object def) {
    java.util.Map<String, Object> m = DEFAULTS.get();
    if (m != null) {
      m.putIfAbsent(key(k), def);
    }
  }

  private JsonNode take(String k) {
    asked.add(k);
    JsonNode v = node.get(k);
    return v == null || v.isNull() ? null : v;
  }

  /** Whether the key is present (it counts as asked for). */
  public boolean has(String k) {
    return take(k) != null;
  }

  public String string(String k, String def) throws ConfigException {
    record(k, def);
    JsonNode v = take(k);
    if (v == null) {
      return def;
    }
    if (!v.isValueNode()) {
      throw error(k, "expected a single value, found " + kind(v));
    }
    return v.asText();
  }

  public boolean bool(String k, boolean def) throws ConfigException {
    record(k, def);
    JsonNode v = take(k);
    if (v == null) {
      return def;
    }
    if (!v.isBoolean()) {
      throw error(k, "expected true or false, found " + v);
    }
    return v.asBoolean();
  }

  public long integer(String k, long def, long min, long max) throws ConfigException {
    record(k, def);
    JsonNode v = take(k);
    if (v == null) {
      return def;
    }
    long x;
    if (v.isIntegralNumber()) {
      x = v.asLong();
    } else if (v.isTextual() && v.asText().matches("\\d[\\d_]*")) {
      x = Long.parseLong(v.asText().replace("_", ""));
    } else {
      throw error(k, "expected a whole number from " + min + " to " + max + ", found " + v);
    }
    if (x < min || x > max) {
      throw error(k, "expected a whole number from " + min + " to " + max + ", found " + x);
    }
    return x;
  }

  public double number(String k, double def, double min, double max) throws ConfigException {
    record(k, def);
    JsonNode v = take(k);
    if (v == null) {
      return def;
    }
    if (!v.isNumber() || v.asDouble() < min || v.asDouble() > max) {
      throw error(k, "expected a number from " + min + " to " + max + ", found " + v);
    }
    return v.asDouble();
  }

  /** A list of ports and port ranges ("445", "6660-6669"). */
  public PortSet ports(String k, List<String> def) throws ConfigException {
    List<String> entries = strings(k, def);
    try {
      return PortSet.parse(entries);
    } catch (IllegalArgumentException e) {
      throw error(k, e.getMessage());
    }
  }

  /** A duration that must be more than zero. */
  public Duration positiveDuration(String k, Duration def) throws ConfigException {
    Duration d = duration(k, def);
    if (d.isZero() || d.isNegative()) {
      throw error(k, "expected a positive duration, found " + d);
    }
    return d;
  }

  /** A duration written as 500ms, 30s, 5m, 1h or 2d (or a plain number of seconds). */
  public Duration duration(String k, Duration def) throws ConfigException {
    record(k, def);
    JsonNode v = take(k);
    if (v == null) {
      return def;
    }
    if (v.isIntegralNumber() && v.asLong() >= 0) {
      return Duration.ofSeconds(v.asLong());
    }
    Duration d = v.isTextual() ? parseDuration(v.asText()) : null;
    if (d == null) {
      throw error(k, "expected a duration such as 500ms, 30s, 5m, 1h or 2d (at most 36500d), found " + v);
    }
    return d;
  }

  /** A duration written as 500ms, 30s, 5m, 1h or 2d; null when the text is none. */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return null;
    }
    Duration d;
    try {
      long n = Long.parseLong(m.group(1));
      switch (m.group(2)) {
        case "ms": d = Duration.ofMillis(n); break;
        case "s": d = Duration.ofSeconds(n); break;
        case "m": d = Duration.ofMinutes(n); break;
        case "h": d = Duration.ofHours(n); break;
        default: d = Duration.ofDays(n); break;
      }
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
    // durations become microseconds and nanoseconds of log time: a century is far more than any window
    return d.compareTo(MAX_DURATION) > 0 ? null : d;
  }

  /** The longest duration a key takes. */
  public static final Duration MAX_DURATION = Duration.ofDays(36_500);

  /** A list of strings (a single string counts as a list of one). */
  public List<String> strings(String k, List<String> def) throws ConfigException {
    record(k, def);
    JsonNode v = take(k);
    if (v == null) {
      return def;
    }
    if (v.isValueNode()) {
      return List.of(v.asText());
    }
    if (!v.isArray()) {
      throw error(k, "expected a list, found " + kind(v));
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isValueNode() || v.get(i).isNull()) {
        throw error(k + "[" + i + "]", "expected a single value, found " + kind(v.get(i)));
      }
      out.add(v.get(i).asText());
    }
    return out;
  }

  /** A path text resolved against the configuration file's folder. */
  public Path resolve(String text) {
    return baseDir.resolve(text).normalize();
  }

  /** A path, resolved against the configuration file's folder. */
  public Path path(String k) throws ConfigException {
    String s = string(k, null);
    return s == null ? null : baseDir.resolve(s).normalize();
  }

  /** A sub-section (empty when absent). */
  public ConfigNode child(String k) throws ConfigException {
    JsonNode v = take(k);
    if (v != null && !v.isObject()) {
      throw error(k, "expected a section of keys, found " + kind(v));
    }
    return new ConfigNode(file, baseDir, key(k), (ObjectNode) v);
  }

  /** A list of sections. */
  /** Whether the key holds a list of single values (names), rather than of sections. */
  public boolean isListOfValues(String k) {
    JsonNode v = node.get(k);
    if (v == null || !v.isArray() || v.isEmpty()) {
      return false;
    }
    for (JsonNode x : v) {
      if (!x.isValueNode() || x.isNull()) {
        return false;
      }
    }
    return true;
  }

  public List<ConfigNode> children(String k) throws ConfigException {
    JsonNode v = take(k);
    if (v == null) {
      return List.of();
    }
    if (!v.isArray()) {
      throw error(k, "expected a list of sections, found " + kind(v));
    }
    List<ConfigNode> out = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      if (!v.get(i).isObject()) {
        throw error(k + "[" + i + "]", "expected a section of keys, found " + kind(v.get(i)));
      }
      out.add(new ConfigNode(file, baseDir, key(k) + "[" + i + "]", (ObjectNode) v.get(i)));
    }
    return out;
  }

  /** The keys present in this section, in file order (none counts as asked for). */
  public List<String> keys() {
    List<String> out = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      out.add(it.next());
    }
    return out;
  }

  /** Marks a key as handled by someone else. */
  public void consumed(String k) {
    asked.add(k);
  }

  /**
   * Fails on the first key present that nobody asked for.
   *
   * @throws ConfigException naming the key and listing the valid ones
   */
  public void finish() throws ConfigException {
    for (String k : keys()) {
      if (!asked.contains(k)) {
        throw error(k, "unknown key; valid keys here are " + asked);
      }
    }
  }

  private static String kind(JsonNode v) {
    if (v.isObject()) {
      return "a section";
    }
    if (v.isArray()) {
      return "a list";
    }
    return "'" + v.asText() + "'";
  }
}
