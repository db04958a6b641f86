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
  private String separator = "\t";
  private String setSeparator = ",";
  private String emptyField = "(empty)";
  private String unsetField = "-";
  private String path;
  private final String fallbackPath;
  private Map<String, Integer> index;
  private String[] fields;
  private String[] types;
  private final TsvRow row = new TsvRow();

  /** @param fallbackPath the log name from the file's name, used until a #path line says otherwise */
  ZeekTsvParser(String fallbackPath) {
    this.fallbackPath = fallbackPath;
  }

  /** The log this file holds (#path, else the file-name guess), or null. */
  String path() {
    return path != null ? path : fallbackPath;
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
    if (line.startsWith("#separator")) {
      String v = line.length() > 11 ? line.substring(11) : "";
      if (line.length() <= 10 || (line.charAt(10) != ' ' && line.charAt(10) != '\t') || v.isEmpty()) {
        throw new MalformedException("#separator line without a value");
      }
      separator = unescape(v);
      return;
    }
    int sep = line.indexOf(separator);
    String key = sep < 0 ? line : line.substring(0, sep);
    String value = sep < 0 ? "" : line.substring(sep + separator.length());
    switch (key) {
      case "#set_separator": setSeparator = unescape(value); break;
      case "#empty_field": emptyField = unescape(value); break;
      case "#unset_field": unsetField = unescape(value); break;
      case "#path": path = value; break;
      case "#fields":
        fields = value.split(java.util.regex.Pattern.quote(separator), -1);
        index = new HashMap<>(fields.length * 2);
        for (int i = 0; i < fields.length; i++) {
          index.putIfAbsent(fields[i], i);
        }
        types = null;
        break;
      case "#types":
        types = value.split(java.util.regex.Pattern.quote(separator), -1);
        break;
      default:
        // #open, #close and comments carry nothing we need
    }
  }

  /** The event of a data line; null when this log produces none. */
  Event data(String line) throws MalformedException {
    if (fields == null) {
      throw new MalformedException("data line before any #fields header");
    }
    row.reset(line);
    String p = path();
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

  /** A data line split at the separator, fields decoded only when asked for. */
  private final class TsvRow implements Row {
    private String line;
    private int[] starts = new int[32];
    private int[] ends = new int[32];

    void reset(String l) throws MalformedException {
      this.line = l;
      int n = fields.length;
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
      if (cacheFor != index) {
        java.util.Arrays.fill(cacheKeys, null);
        cacheFor = index;
      }
      int slot = System.identityHashCode(name) & 127;
      if (cacheKeys[slot] == name) {
        return cacheCols[slot];
      }
      Integer i = index.get(name);
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
      if (e - s == unsetField.length() && line.startsWith(unsetField, s)) {
        return -1;
      }
      return i;
    }

    private boolean isEmpty(int i) {
      return ends[i] - starts[i] == emptyField.length() && line.startsWith(emptyField, starts[i]);
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
        int next = raw.indexOf(setSeparator, pos);
        String el = next < 0 ? raw.substring(pos) : raw.substring(pos, next);
        out.add(unescape(el));
        if (next < 0) {
          break;
        }
        pos = next + setSeparator.length();
      }
      return List.copyOf(out);
    }

    private MalformedException bad(String name, int i, String what) {
      String v = line.substring(starts[i], Math.min(ends[i], starts[i] + 40));
      String type = types != null && i < types.length ? " (" + types[i] + ")" : "";
      return new MalformedException("field " + name + type + " is not " + what + ": " + v);
    }
  }
}
