package org.bottrace.source;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bottrace.event.Event;
import org.bottrace.event.Micros;

/**
 * Zeek's ASCII log format, driven entirely by its header: #separator (with \x escapes),
 * #set_separator, #empty_field, #unset_field, #path, #fields and #types. A header that appears again
 * mid-file (Zeek appends after a restart, or logs were concatenated) replaces the previous one.
 */
final class ZeekTsvParser {
  /**
   * A header as it stands at some point of a file: immutable, so lines can be parsed on other threads
   * with the header that was in force when they were read.
   */
  static final class Header {
    final String separator;
    final String setSeparator;
    final String emptyField;
    final String unsetField;
    final String path;
    final String[] fields;
    final String[] types;
    final Map<String, Integer> index;
    /** The header lines this was built from (since the last #separator), to restore it after a restart. */
    List<String> lines = List.of();

    Header(String separator, String setSeparator, String emptyField, String unsetField, String path,
        String[] fields, String[] types) {
      this.separator = separator;
      this.setSeparator = setSeparator;
      this.emptyField = emptyField;
      this.unsetField = unsetField;
      this.path = path;
      this.fields = fields;
      this.types = types;
      if (fields == null) {
        this.index = null;
      } else {
        Map<String, Integer> m = new HashMap<>(fields.length * 2);
        for (int i = 0; i < fields.length; i++) {
          m.putIfAbsent(fields[i], i);
        }
        this.index = m;
      }
    }

    /** The log (#path, else the file-name guess), or null. */
    String path(String fallback) {
      return path != null ? path : fallback;
    }
  }

  private Header header = new Header("\t", ",", "(empty)", "-", null, null, null);
  private final String fallbackPath;

  /** @param fallbackPath the log name from the file's name, used until a #path line says otherwise */
  ZeekTsvParser(String fallbackPath) {
    this.fallbackPath = fallbackPath;
  }

  /** The header in force now. */
  Header current() {
    return header;
  }

  /** The log this file holds (#path, else the file-name guess), or null. */
  String path() {
    return header.path(fallbackPath);
  }

  /** Whether the line is a header or comment line (to be consumed by {@link #header}). */
  static boolean isHeader(String line) {
    if (line.isEmpty()) {
      return false;
    }
    char c = line.charAt(0);
    if (c == '#') {
      return true;
    }
    if (c == ' ' || c == '\t') {
      // a stray leading blank before a header line, as in some real logs
      String t = line.stripLeading();
      return t.startsWith("#");
    }
    return false;
  }

  /** Reads a header line. */
  void header(String line) throws MalformedException {
    line = line.stripLeading();
    List<String> before = header.lines;
    apply(line);
    if (isKnown(line)) {
      // keep the lines that make this header, so a restart mid-file can rebuild it
      List<String> l = line.startsWith("#separator") ? new ArrayList<>() : new ArrayList<>(before);
      if (l.size() < 16) {
        l.add(line);
      }
      header.lines = List.copyOf(l);
    }
  }

  private static boolean isKnown(String line) {
    return line.startsWith("#separator") || line.startsWith("#set_separator") || line.startsWith("#empty_field")
        || line.startsWith("#unset_field") || line.startsWith("#path") || line.startsWith("#fields")
        || line.startsWith("#types");
  }

  private void apply(String line) throws MalformedException {
    Header h = header;
    if (line.startsWith("#separator")) {
      String v = line.length() > 11 ? line.substring(11) : "";
      if (line.length() <= 10 || (line.charAt(10) != ' ' && line.charAt(10) != '\t') || v.isEmpty()) {
        throw new MalformedException("#separator line without a value");
      }
      header = new Header(unescape(v), h.setSeparator, h.emptyField, h.unsetField, h.path, h.fields, h.types);
      return;
    }
    int sep = line.indexOf(h.separator);
    String key = sep < 0 ? line : line.substring(0, sep);
    String value = sep < 0 ? "" : line.substring(sep + h.separator.length());
    String q = java.util.regex.Pattern.quote(h.separator);
    switch (key) {
      case "#set_separator":
        header = new Header(h.separator, unescape(value), h.emptyField, h.unsetField, h.path, h.fields, h.types);
        break;
      case "#empty_field":
        header = new Header(h.separator, h.setSeparator, unescape(value), h.unsetField, h.path, h.fields, h.types);
        break;
      case "#unset_field":
        header = new Header(h.separator, h.setSeparator, h.emptyField, unescape(value), h.path, h.fields, h.types);
        break;
      case "#path":
        header = new Header(h.separator, h.setSeparator, h.emptyField, h.unsetField, value, h.fields, h.types);
        break;
      case "#fields":
        header = new Header(h.separator, h.setSeparator, h.emptyField, h.unsetField, h.path, value.split(q, -1), null);
        break;
      case "#types":
        header = new Header(h.separator, h.setSeparator, h.emptyField, h.unsetField, h.path, h.fields,
            value.split(q, -1));
        break;
      default:
        // #open, #close and comments carry nothing we need
    }
  }

  /**
   * The event of a data line under a header; null when its log produces none. Thread-safe given a
   * row of the caller's own.
   */
  static Event data(Header h, String fallbackPath, TsvRow row, String line) throws MalformedException {
    if (h.fields == null) {
      throw new MalformedException("data line before any #fields header");
    }
    row.reset(h, line);
    String p = h.path(fallbackPath);
    return p == null ? null : ZeekKinds.map(p, row);
  }

  /** Decodes Zeek's \xNN escapes (and \\) into the bytes they stand for, read as UTF-8. */
  static String unescape(String s) {
    if (s.indexOf('\\') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\\' && i + 3 < b.length && b[i + 1] == 'x'
          && hex(b[i + 2]) >= 0 && hex(b[i + 3]) >= 0) {
        out.write(hex(b[i + 2]) * 16 + hex(b[i + 3]));
        i += 3;
      } else if (b[i] == '\\' && i + 1 < b.length && b[i + 1] == '\\') {
        out.write('\\');
        i++;
      } else {
        out.write(b[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  /** A data line split at the separator, fields decoded only when asked for. One per thread. */
  static final class TsvRow implements Row {
    private Header h;
    private String line;
    private int[] starts = new int[32];
    private int[] ends = new int[32];

    void reset(Header header, String l) throws MalformedException {
      this.h = header;
      this.line = l;
      String separator = header.separator;
      int n = header.fields.length;
      if (starts.length < n) {
        starts = new int[n];
        ends = new int[n];
      }
      int pos = 0;
      int sl = separator.length();
      for (int f = 0; f < n; f++) {
        int next = sl == 1 ? l.indexOf(separator.charAt(0), pos) : l.indexOf(separator, pos);
        if (f == n - 1) {
          if (next >= 0) {
            throw new MalformedException("more than the " + n + " fields of the #fields header");
          }
          next = l.length();
        } else if (next < 0) {
          throw new MalformedException("only " + (f + 1) + " of the " + n + " fields of the #fields header");
        }
        starts[f] = pos;
        ends[f] = next;
        pos = next + sl;
      }
    }

    // a tiny identity-keyed cache of name -> column: mappers ask with the same String constants every
    // row, so this spares a HashMap lookup (and a hash of the name) per field
    private final String[] cacheKeys = new String[128];
    private final int[] cacheCols = new int[128];
    private Map<String, Integer> cacheFor;

    private int column(String name) {
      if (cacheFor != h.index) {
        java.util.Arrays.fill(cacheKeys, null);
        cacheFor = h.index;
      }
      int slot = System.identityHashCode(name) & 127;
      if (cacheKeys[slot] == name) {
        return cacheCols[slot];
      }
      Integer i = h.index.get(name);
      cacheKeys[slot] = name;
      cacheCols[slot] = i == null ? -1 : i;
      return cacheCols[slot];
    }

    private int at(String name) {
      int i = column(name);
      if (i < 0) {
        return -1;
      }
      int s = starts[i];
      int e = ends[i];
      if (e - s == h.unsetField.length() && line.startsWith(h.unsetField, s)) {
        return -1;
      }
      return i;
    }

    private boolean isEmpty(int i) {
      return ends[i] - starts[i] == h.emptyField.length() && line.startsWith(h.emptyField, starts[i]);
    }

    @Override
    public String str(String name) {
      int i = at(name);
      if (i < 0) {
        return null;
      }
      if (isEmpty(i)) {
        return "";
      }
      return unescape(line.substring(starts[i], ends[i]));
    }

    @Override
    public long count(String name) throws MalformedException {
      int i = at(name);
      if (i < 0) {
        return -1;
      }
      int s = starts[i];
      int e = ends[i];
      if (s == e || e - s > 18) {
        throw bad(name, i, "a count");
      }
      long v = 0;
      for (int k = s; k < e; k++) {
        char c = line.charAt(k);
        if (c < '0' || c > '9') {
          throw bad(name, i, "a count");
        }
        v = v * 10 + (c - '0');
      }
      return v;
    }

    @Override
    public long micros(String name) throws MalformedException {
      int i = at(name);
      if (i < 0) {
        return Micros.UNSET;
      }
      try {
        return Micros.parseEpoch(line, starts[i], ends[i]);
      } catch (NumberFormatException e) {
        throw bad(name, i, "a time");
      }
    }

    @Override
    public Boolean bool(String name) throws MalformedException {
      int i = at(name);
      if (i < 0) {
        return null;
      }
      if (ends[i] - starts[i] == 1) {
        char c = line.charAt(starts[i]);
        if (c == 'T') {
          return Boolean.TRUE;
        }
        if (c == 'F') {
          return Boolean.FALSE;
        }
      }
      throw bad(name, i, "a bool (T or F)");
    }

    @Override
    public List<String> list(String name) {
      int i = at(name);
      if (i < 0 || isEmpty(i)) {
        return List.of();
      }
      String raw = line.substring(starts[i], ends[i]);
      List<String> out = new ArrayList<>(4);
      int pos = 0;
      while (true) {
        int next = raw.indexOf(h.setSeparator, pos);
        String el = next < 0 ? raw.substring(pos) : raw.substring(pos, next);
        out.add(unescape(el));
        if (next < 0) {
          break;
        }
        pos = next + h.setSeparator.length();
      }
      return List.copyOf(out);
    }

    private MalformedException bad(String name, int i, String what) {
      String v = line.substring(starts[i], Math.min(ends[i], starts[i] + 40));
      String type = h.types != null && i < h.types.length ? " (" + h.types[i] + ")" : "";
      return new MalformedException("field " + name + type + " is not " + what + ": " + v);
    }
  }
}
