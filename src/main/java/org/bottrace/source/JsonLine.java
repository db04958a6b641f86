package org.bottrace.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One JSON log line flattened to dotted names ({"id":{"orig_h":..}} and {"id.orig_h":..} read the
 * same): scalars as String, Long, Double or Boolean, arrays as lists (objects in arrays as flattened
 * maps). Large subtrees no detector uses (EVE stats, payloads) are skipped unread.
 */
final class JsonLine {
  private static final Set<String> SKIP = Set.of("stats", "payload", "payload_printable", "packet",
      "packet_info", "rule", "http.http_request_body", "http.http_response_body", "verdict");
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .disable(com.fasterxml.jackson.core.StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();

  private JsonLine() {}

  /** Parses one line holding one JSON object. */
  static Map<String, Object> parse(String line) throws MalformedException {
    byte[] b = line.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return parse(b, 0, b.length);
  }

  /**
   * Which fields to keep: all of them, or only those a reader uses (the rest are skipped without
   * being turned into objects, which is most of the cost of a wide EVE event).
   */
  static final class Filter {
    private final Set<String> names;
    private final Set<String> prefixes;
    private final List<String> everythingBelow;

    /**
     * Keeps the names given; a name ending in "." keeps everything below it ("dns.grouped.").
     * Objects are descended into only on the way to a kept name.
     */
    Filter(Set<String> wanted) {
      Set<String> n = new java.util.HashSet<>();
      Set<String> pre = new java.util.HashSet<>();
      List<String> below = new ArrayList<>();
      for (String w : wanted) {
        if (w.endsWith(".")) {
          below.add(w);
          pre.add(w);
        } else {
          n.add(w);
        }
        for (int i = w.indexOf('.'); i >= 0 && i < w.length() - 1; i = w.indexOf('.', i + 1)) {
          pre.add(w.substring(0, i + 1));
        }
      }
      this.names = Set.copyOf(n);
      this.prefixes = Set.copyOf(pre);
      this.everythingBelow = List.copyOf(below);
    }

    boolean keep(String name) {
      return names.contains(name) || below(name);
    }

    boolean descend(String prefixWithDot) {
      return prefixes.contains(prefixWithDot) || below(prefixWithDot);
    }

    private boolean below(String name) {
      for (String b : everythingBelow) {
        if (name.startsWith(b)) {
          return true;
        }
      }
      return false;
    }
  }

  private static final ThreadLocal<HashMap<String, Object>> MAPS = ThreadLocal.withInitial(() -> new HashMap<>(64));

  /** Parses one line, given as UTF-8 bytes, holding one JSON object; keeps every field. */
  static Map<String, Object> parse(byte[] buf, int off, int len) throws MalformedException {
    return parse(buf, off, len, null);
  }

  /**
   * Parses one line, given as UTF-8 bytes, holding one JSON object. The map returned is the calling
   * thread's own and is reused by its next call: use it before parsing again.
   *
   * @param filter the fields to keep, or null for all
   */
  static Map<String, Object> parse(byte[] buf, int off, int len, Filter filter) throws MalformedException {
    HashMap<String, Object> out = MAPS.get();
    out.clear();
    if (jackson) {
      withJackson(buf, off, len, filter, out);
    } else {
      JsonScanner.get().parse(buf, off, len, filter, out);
    }
    return out;
  }

  /**
   * Whether lines are read by Jackson's streaming parser instead of {@link JsonScanner}: the reference
   * the scanner is tested against (same maps, same notices), not a setting.
   */
  static volatile boolean jackson;

  /** Jackson's reading of the line into {@code out}. */
  static void withJackson(byte[] buf, int off, int len, Filter filter, Map<String, Object> out)
      throws MalformedException {
    try (JsonParser p = FACTORY.createParser(buf, off, len)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new MalformedException("not a JSON object");
      }
      object(p, "", out, filter);
      if (p.nextToken() != null) {
        throw new MalformedException("text after the JSON object");
      }
    } catch (IOException e) {
      String m = e.getMessage();
      int nl = m == null ? -1 : m.indexOf('\n');
      throw new MalformedException("not valid JSON: " + (nl < 0 ? m : m.substring(0, nl)));
    }
  }

  /** Whether a field is one of the large subtrees no detector uses, skipped unread. */
  static boolean skipped(String prefix, String name) {
    return (prefix.isEmpty() || prefix.equals("http.")) && SKIP.contains(name);
  }

  private static void object(JsonParser p, String prefix, Map<String, Object> out, Filter filter)
      throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
      String name = prefix.isEmpty() ? p.currentName() : join(prefix, p.currentName());
      JsonToken v = p.nextToken();
      if (skipped(prefix, name)) {
        p.skipChildren(); // a string value left unread is skipped unparsed
        continue;
      }
      if (v == JsonToken.START_OBJECT) {
        String sub = join(name, "");
        if (filter == null || filter.descend(sub)) {
          object(p, sub, out, filter);
        } else {
          p.skipChildren();
        }
      } else if (filter != null && !filter.keep(name)) {
        p.skipChildren(); // arrays skipped whole, scalars left unread
      } else if (v == JsonToken.START_ARRAY) {
        out.put(name, array(p));
      } else {
        Object s = scalar(p, v);
        if (s != null) {
          out.put(name, s);
        }
      }
    }
    if (t != JsonToken.END_OBJECT) {
      throw new IOException("unexpected " + t);
    }
  }

  // dotted names are built once: "flow." + "start" is looked up, not concatenated, for every line
  private static final int MAX_JOINED = 20_000;
  private static final int MAX_JOINED_LENGTH = 256;
  private static final Map<String, Map<String, String>> JOINED = new java.util.concurrent.ConcurrentHashMap<>();
  private static final java.util.concurrent.atomic.AtomicInteger JOINED_COUNT = new java.util.concurrent.atomic.AtomicInteger();

  /** prefix + name, or name + "." when name is "" (the prefix of a nested object). */
  static String join(String prefix, String name) {
    if (prefix.length() + name.length() > MAX_JOINED_LENGTH) {
      return name.isEmpty() ? prefix + "." : prefix + name; // not kept: a line's long names stay its own
    }
    Map<String, String> m = JOINED.get(prefix);
    if (m == null) {
      if (JOINED_COUNT.get() >= MAX_JOINED) {
        return name.isEmpty() ? prefix + "." : prefix + name;
      }
      m = JOINED.computeIfAbsent(prefix, k -> new java.util.concurrent.ConcurrentHashMap<>());
    }
    String j = m.get(name);
    if (j == null) {
      j = name.isEmpty() ? prefix + "." : prefix + name;
      if (JOINED_COUNT.get() < MAX_JOINED && JOINED_COUNT.incrementAndGet() < MAX_JOINED) {
        String had = m.putIfAbsent(name, j);
        if (had != null) {
          j = had;
        }
      }
    }
    return j;
  }

  private static List<Object> array(JsonParser p) throws IOException {
    List<Object> out = new ArrayList<>(4);
    JsonToken v;
    while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
      if (v == null) {
        throw new IOException("unterminated array");
      }
      if (v == JsonToken.START_OBJECT) {
        Map<String, Object> m = new HashMap<>(8);
        object(p, "", m, null);
        out.add(m);
      } else if (v == JsonToken.START_ARRAY) {
        out.add(array(p));
      } else {
        Object s = scalar(p, v);
        if (s != null) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private static Object scalar(JsonParser p, JsonToken v) throws IOException {
    switch (v) {
      case VALUE_STRING: return p.getText();
      case VALUE_NUMBER_INT:
        return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? (Object) p.getDecimalValue().doubleValue()
            : (Object) p.getLongValue();
      case VALUE_NUMBER_FLOAT: return p.getDoubleValue();
      case VALUE_TRUE: return Boolean.TRUE;
      case VALUE_FALSE: return Boolean.FALSE;
      case VALUE_NULL: return null;
      default: throw new IOException("unexpected " + v);
    }
  }
}
