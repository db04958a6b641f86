package org.bottrace.source;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads one JSON object line straight from its UTF-8 bytes into the flattened map {@link JsonLine}
 * describes. It accepts and refuses what Jackson's parser does with bottrace's settings (RFC 8259: no
 * comments, no trailing commas, no leading zeros, no unescaped control characters, only the JSON escapes,
 * strict UTF-8 sequences, at most 64 levels of nesting; {@code JsonScannerTest} compares the two over the
 * test logs and 150,000 mutations of them) and builds the same values, without Jackson's
 * per-token machinery: a field name is matched as bytes against the names this thread has seen before
 * (no String built for it), and the value of a field the filter drops is checked, not built.
 *
 * <p>One per thread ({@link #get()}); not for sharing.
 */
final class JsonScanner {
  private static final int MAX_DEPTH = 64;
  /** Jackson's limits: digits in a number, UTF-8 bytes in a field name. */
  private static final int MAX_NUMBER = 1000;
  private static final int MAX_NAME = 50_000;
  /**
   * A field's flattened name (with the names of the objects it is in) longer than this is refused, which
   * Jackson did not do: no log has one, and a line of long nested names would otherwise build gigabytes
   * of them (each member of an object copies the object's name).
   */
  static final int MAX_FLAT = 1_000;
  /** Names up to this long are kept in the names table. */
  private static final int MAX_KEPT_NAME = 128;
  /** How {@link #decode} reads: a value that is built, a value that is dropped, a field name. */
  private static final int VALUE = 0;
  private static final int DROPPED = 1;
  private static final int NAME = 2;
  private static final ThreadLocal<JsonScanner> SCANNERS = ThreadLocal.withInitial(JsonScanner::new);
  private static final double[] POW10 = new double[23];

  static {
    POW10[0] = 1;
    for (int i = 1; i < POW10.length; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private final Names names = new Names();
  private byte[] b;
  private int start;
  private int p;
  private int end;
  private int depth;
  private char[] chars = new char[128];

  private JsonScanner() {}

  /** The calling thread's scanner. */
  static JsonScanner get() {
    return SCANNERS.get();
  }

  /**
   * Reads the object in {@code buf[off, off+len)} into {@code out} (which it does not clear).
   *
   * @param filter the fields to keep, or null for all
   */
  void parse(byte[] buf, int off, int len, JsonLine.Filter filter, Map<String, Object> out) throws MalformedException {
    b = buf;
    start = off;
    p = off;
    end = off + len;
    depth = 1;
    if (len >= 3 && buf[off] == (byte) 0xEF && buf[off + 1] == (byte) 0xBB && buf[off + 2] == (byte) 0xBF) {
      p += 3; // a UTF-8 byte order mark, which Jackson passes over too
    }
    try {
      if (ws() != '{') {
        throw new MalformedException("not a JSON object");
      }
      p++;
      members("", out, filter);
      if (ws() >= 0) {
        throw new MalformedException("text after the JSON object");
      }
    } finally {
      b = null; // the line is not kept, nor the room one long string took
      if (chars.length > 1 << 16) {
        chars = new char[128];
      }
    }
  }

  /**
   * The members of an object whose '{' has been read, through its '}': into {@code out} under
   * {@code prefix}, or checked and dropped when {@code out} is null.
   */
  private void members(String prefix, Map<String, Object> out, JsonLine.Filter filter) throws MalformedException {
    if (ws() == '}') {
      p++;
      return;
    }
    do {
      int c = ws();
      if (c != '"') {
        throw bad(c, "a field name in double quotes");
      }
      p++;
      Name n = out == null ? skipName() : name(prefix);
      if (ws() != ':') {
        throw bad(ws(), "':' after a field name");
      }
      p++;
      c = ws();
      if (out == null || n.skip) {
        skipValue(c);
      } else if (c == '{') {
        enter();
        members(n.sub(), filter == null || n.descend(filter) ? out : null, filter);
        depth--;
      } else if (filter != null && !n.keep(filter)) {
        skipValue(c);
      } else if (c == '[') {
        enter();
        out.put(n.full, array());
        depth--;
      } else {
        Object v = scalar(c);
        if (v != null) {
          out.put(n.full, v);
        }
      }
    } while (more('}'));
  }

  /** After a member or element: true past a ',', false past the closing {@code close}. */
  private boolean more(char close) throws MalformedException {
    int c = ws();
    if (c == ',') {
      p++;
      return true;
    }
    if (c == close) {
      p++;
      return false;
    }
    throw bad(c, "',' or '" + close + "'");
  }

  /** An array whose '[' has been read, through its ']'; objects in it are flattened maps of their own. */
  private List<Object> array() throws MalformedException {
    List<Object> out = new ArrayList<>(4);
    if (ws() == ']') {
      p++;
      return out;
    }
    do {
      int c = ws();
      if (c == '{') {
        enter();
        Map<String, Object> m = new HashMap<>(8);
        members("", m, null);
        depth--;
        out.add(m);
      } else if (c == '[') {
        enter();
        out.add(array());
        depth--;
      } else {
        Object v = scalar(c);
        if (v != null) {
          out.add(v);
        }
      }
    } while (more(']'));
    return out;
  }

  /** Checks the value starting at {@code c} and passes over it. */
  private void skipValue(int c) throws MalformedException {
    if (c == '{') {
      enter();
      members("", null, null);
      depth--;
    } else if (c == '[') {
      enter();
      if (ws() == ']') {
        p++;
      } else {
        do {
          skipValue(ws());
        } while (more(']'));
      }
      depth--;
    } else if (c == '"') {
      p++;
      skipString();
    } else if (c == '-' || c >= '0' && c <= '9') {
      number(false);
    } else {
      literal(c);
    }
  }

  /** Passes over the '{' or '[' at p, one level deeper. */
  private void enter() throws MalformedException {
    p++;
    if (++depth > MAX_DEPTH) {
      throw new MalformedException("not valid JSON: nested deeper than " + MAX_DEPTH + " levels at byte " + (p - start));
    }
  }

  /** A scalar value: String, Long, Double, Boolean, or null for JSON's null. */
  private Object scalar(int c) throws MalformedException {
    if (c == '"') {
      p++;
      return string();
    }
    if (c == '-' || c >= '0' && c <= '9') {
      return number(true);
    }
    return literal(c);
  }

  private Boolean literal(int c) throws MalformedException {
    int s = p;
    if (c == 't' && word("true")) {
      return Boolean.TRUE;
    }
    if (c == 'f' && word("false")) {
      return Boolean.FALSE;
    }
    if (c == 'n' && word("null")) {
      return null;
    }
    if (c < 0 || c == ',' || c == ':' || c == '}' || c == ']') {
      throw bad(c, "a value");
    }
    throw unrecognized(s);
  }

  /** Whether {@code w} is at p, not followed by a letter or digit; passes over it if so. */
  private boolean word(String w) {
    int n = w.length();
    if (end - p < n) {
      return false;
    }
    for (int i = 1; i < n; i++) {
      if (b[p + i] != w.charAt(i)) {
        return false;
      }
    }
    if (p + n < end && Character.isJavaIdentifierPart((char) (b[p + n] & 0xff))) {
      return false;
    }
    p += n;
    return true;
  }

  /** A number: Long when it is an integer that fits, else Double; null when not {@code build}. */
  private Object number(boolean build) throws MalformedException {
    int s = p;
    boolean neg = b[p] == '-';
    if (neg) {
      p++;
    }
    if (p >= end || b[p] < '0' || b[p] > '9') {
      throw unrecognized(s);
    }
    int digitsFrom = p;
    long m = 0; // the significant digits, while there are at most 18
    int sig = 0;
    int frac = 0; // digits of m after the decimal point
    boolean many = false; // more than 18 significant digits: m is not the number
    if (b[p] == '0') {
      p++;
      if (p < end && b[p] >= '0' && b[p] <= '9') {
        throw new MalformedException("not valid JSON: a number with a leading zero at byte " + (s - start));
      }
    } else {
      for (; p < end && b[p] >= '0' && b[p] <= '9'; p++) {
        if (sig < 18) {
          m = m * 10 + (b[p] - '0');
          sig++;
        } else {
          many = true;
        }
      }
    }
    int digitCount = p - digitsFrom;
    boolean fp = false;
    if (p < end && b[p] == '.') {
      fp = true;
      int f = ++p;
      for (; p < end && b[p] >= '0' && b[p] <= '9'; p++) {
        if (sig == 0 && b[p] == '0') {
          frac++; // 0.00x: a zero that only scales
        } else if (sig < 18) {
          m = m * 10 + (b[p] - '0');
          sig++;
          frac++;
        } else {
          many = true;
        }
      }
      if (p == f) {
        throw new MalformedException("not valid JSON: no digit after a decimal point at byte " + (p - start));
      }
      digitCount += p - f;
    }
    int exp = 0;
    if (p < end && (b[p] == 'e' || b[p] == 'E')) {
      fp = true;
      p++;
      boolean eneg = p < end && b[p] == '-';
      if (p < end && (b[p] == '+' || b[p] == '-')) {
        p++;
      }
      int e = p;
      for (; p < end && b[p] >= '0' && b[p] <= '9'; p++) {
        if (p - e < 5) {
          exp = exp * 10 + (b[p] - '0');
        } else {
          many = true;
        }
      }
      if (p == e) {
        throw new MalformedException("not valid JSON: no digit in an exponent at byte " + (p - start));
      }
      digitCount += p - e;
      exp = eneg ? -exp : exp;
    }
    if (digitCount > MAX_NUMBER) {
      throw new MalformedException("not valid JSON: a number of more than " + MAX_NUMBER + " digits at byte "
          + (s - start));
    }
    if (!build) {
      return null;
    }
    if (!fp) {
      if (!many) {
        return neg ? -m : m;
      }
      String text = new String(b, s, p - s, StandardCharsets.ISO_8859_1);
      try {
        return Long.parseLong(text);
      } catch (NumberFormatException e) {
        return new java.math.BigDecimal(text).doubleValue(); // past a long, as Jackson's BIG_INTEGER
      }
    }
    int scale = frac - exp;
    // m (below 10^15 < 2^53) and 10^|scale| are exact doubles, so one division or product rounds once,
    // correctly, as Double.parseDouble does
    if (!many && sig <= 15 && scale >= -22 && scale <= 22) {
      double d = scale >= 0 ? m / POW10[scale] : m * POW10[-scale];
      return neg ? -d : d;
    }
    return Double.parseDouble(new String(b, s, p - s, StandardCharsets.ISO_8859_1));
  }

  /** A string whose opening quote has been read, through its closing quote. */
  private String string() throws MalformedException {
    int s = p;
    return plain() ? new String(b, s, p - 1 - s, StandardCharsets.ISO_8859_1) : decode(s, VALUE);
  }

  /**
   * Passes over printable ASCII: true past the closing quote that ends it, false at a byte that needs
   * {@link #decode} (an escape, a control character, a byte past ASCII) or at the line's end, p left there.
   */
  private boolean plain() {
    while (p < end) {
      byte c = b[p];
      if (c == '"') {
        p++;
        return true;
      }
      if (c < 0x20 || c == '\\') { // below 0x20 as a signed byte: also every byte past ASCII
        return false;
      }
      p++;
    }
    return false;
  }

  /**
   * The slow way from {@code s}: escapes, UTF-8 sequences, and the errors, as Jackson 2.22 has them for
   * {@code mode}: a surrogate written as three UTF-8 bytes is refused in a value it builds and in a name;
   * in a name, a \\u escape of a surrogate must be half of a pair, and a four-byte sequence's first half is
   * added (Jackson's name decoding) where a value's is or-ed, which differs for overlong forms.
   */
  private String decode(int s, int mode) throws MalformedException {
    p = s;
    int n = 0;
    while (true) {
      if (p >= end) {
        throw endsInString();
      }
      int c = b[p++] & 0xff;
      if (n + 2 > chars.length) {
        chars = Arrays.copyOf(chars, chars.length * 2);
      }
      if (c == '"') {
        return new String(chars, 0, n);
      }
      if (c == '\\') {
        char e = escape();
        if (mode == NAME && Character.isSurrogate(e)) {
          if (Character.isLowSurrogate(e) || end - p < 6 || b[p] != '\\' || b[p + 1] != 'u') {
            throw new MalformedException("not valid JSON: half of a surrogate pair in a field name at byte "
                + (p - start));
          }
          p++;
          char low = escape();
          if (!Character.isLowSurrogate(low)) {
            throw new MalformedException("not valid JSON: half of a surrogate pair in a field name at byte "
                + (p - start));
          }
          chars[n++] = e;
          e = low;
        }
        chars[n++] = e;
      } else if (c < 0x20) {
        throw new MalformedException("not valid JSON: control character 0x" + Integer.toHexString(c)
            + " not escaped in a string at byte " + (p - 1 - start));
      } else if (c < 0x80) {
        chars[n++] = (char) c;
      } else if ((c & 0xE0) == 0xC0) {
        chars[n++] = (char) (((c & 0x1F) << 6) | follow());
      } else if ((c & 0xF0) == 0xE0) {
        int x = (c & 0x0F) << 6 | follow();
        x = x << 6 | follow();
        if (mode != DROPPED && x >= 0xD800 && x <= 0xDFFF) {
          throw new MalformedException("not valid JSON: a surrogate written as UTF-8 at byte " + (p - 3 - start));
        }
        chars[n++] = (char) x;
      } else if ((c & 0xF8) == 0xF0) {
        int x = (c & 0x07) << 6 | follow();
        x = x << 6 | follow();
        x = (x << 6 | follow()) - 0x10000;
        chars[n++] = (char) (mode == NAME ? 0xD800 + (x >> 10) : 0xD800 | (x >> 10));
        chars[n++] = (char) (0xDC00 | (x & 0x3FF));
      } else {
        throw invalidUtf8(c);
      }
    }
  }

  /** Passes over a string whose opening quote has been read, checking it as {@link #decode} does. */
  private void skipString() throws MalformedException {
    if (!plain()) {
      decode(p, DROPPED);
    }
  }

  /** The low six bits of a UTF-8 continuation byte. */
  private int follow() throws MalformedException {
    if (p >= end) {
      throw endsInString();
    }
    int d = b[p++] & 0xff;
    if ((d & 0xC0) != 0x80) {
      throw invalidUtf8(d);
    }
    return d & 0x3F;
  }

  private static MalformedException endsInString() {
    return new MalformedException("not valid JSON: the line ends in a string");
  }

  private MalformedException invalidUtf8(int c) {
    return new MalformedException("not valid JSON: invalid UTF-8 byte 0x" + Integer.toHexString(c) + " at byte "
        + (p - 1 - start));
  }

  /** The character of the escape whose backslash has been read. */
  private char escape() throws MalformedException {
    if (p >= end) {
      throw endsInString();
    }
    int c = b[p++];
    switch (c) {
      case '"': return '"';
      case '\\': return '\\';
      case '/': return '/';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'n': return '\n';
      case 'r': return '\r';
      case 't': return '\t';
      case 'u':
        int v = 0;
        for (int i = 0; i < 4; i++) {
          int h = p < end ? Character.digit((char) (b[p] & 0xff), 16) : -1;
          if (h < 0 || b[p] < 0) {
            throw new MalformedException("not valid JSON: a \\u escape without four hex digits at byte " + (p - start));
          }
          v = v << 4 | h;
          p++;
        }
        return (char) v;
      default:
        throw new MalformedException("not valid JSON: unrecognized escape \\" + (c >= 0x21 && c < 0x7f ? String.valueOf((char) c)
            : "x" + Integer.toHexString(c & 0xff)) + " at byte " + (p - 2 - start));
    }
  }

  /** A field name of this object, its opening quote read: from the names seen before when it is plain ASCII. */
  private Name name(String prefix) throws MalformedException {
    int s = asciiName();
    if (s >= 0) {
      int n = p - 1 - s;
      flat(prefix, n, s);
      return n <= MAX_KEPT_NAME ? names.find(prefix, b, s, n) : new Name(prefix, new String(b, s, n,
          StandardCharsets.ISO_8859_1));
    }
    s = -s - 1;
    String name = decode(s, NAME);
    length(name, s);
    flat(prefix, name.length(), s);
    return new Name(prefix, name);
  }

  /** Checks and passes over a field name of an object whose members are dropped. */
  private Name skipName() throws MalformedException {
    int s = asciiName();
    if (s < 0) {
      s = -s - 1;
      length(decode(s, NAME), s);
    }
    return Name.DROPPED;
  }

  /**
   * Passes over a name of printable ASCII through its closing quote and returns where it starts, checked
   * against Jackson's limit; or, when it is not one, returns -1 - its start, p left there.
   */
  private int asciiName() throws MalformedException {
    int s = p;
    if (!plain()) {
      p = s;
      return -1 - s;
    }
    if (p - 1 - s > MAX_NAME) {
      throw nameTooLong(s);
    }
    return s;
  }

  /** Refuses a decoded name of more than Jackson's limit of UTF-8 bytes. */
  private void length(String name, int s) throws MalformedException {
    if (name.length() > MAX_NAME / 3) {
      long bytes = 0;
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      }
      if (bytes > MAX_NAME) {
        throw nameTooLong(s);
      }
    }
  }

  private MalformedException nameTooLong(int s) {
    return new MalformedException("not valid JSON: a field name of more than " + MAX_NAME + " bytes at byte "
        + (s - 1 - start));
  }

  /** Refuses a flattened name of more than {@link #MAX_FLAT} characters. */
  private void flat(String prefix, int n, int s) throws MalformedException {
    if (prefix.length() + n > MAX_FLAT) {
      throw new MalformedException("a field name, with the names of the objects it is in, of more than " + MAX_FLAT
          + " characters at byte " + (s - 1 - start));
    }
  }

  /** The next byte that is not JSON white space (p is left at it), or -1 at the end. */
  private int ws() {
    while (p < end) {
      byte c = b[p];
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return c & 0xff;
      }
      p++;
    }
    return -1;
  }

  private MalformedException bad(int c, String expected) {
    if (c == -1) {
      return new MalformedException("not valid JSON: the line ends where " + expected + " should be");
    }
    if (c >= 0x21 && c < 0x7f) {
      return new MalformedException("not valid JSON: '" + (char) c + "' at byte " + (p - start) + " where " + expected
          + " should be");
    }
    return new MalformedException("not valid JSON: byte 0x" + Integer.toHexString(c & 0xff) + " at byte "
        + (p - start) + " where " + expected + " should be");
  }

  /** The token at {@code s} that is no JSON value, quoted (up to 256 bytes) as Jackson quotes it. */
  private MalformedException unrecognized(int s) {
    int e = s;
    while (e < end && e - s < 256) {
      byte c = b[e];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == ',' || c == ':' || c == '}' || c == ']'
          || c == '"' || c == '{' || c == '[') {
        break;
      }
      e++;
    }
    return new MalformedException("not valid JSON: unrecognized token '" + new String(b, s, e - s, StandardCharsets.UTF_8)
        + "' at byte " + (s - start));
  }

  /** A field name under a prefix, with what it means for the map: its dotted name, and whether it is kept. */
  private static final class Name {
    static final Name DROPPED = new Name("", "");
    final String prefix;
    final byte[] raw;
    final int hash;
    final String full;
    private String sub;
    final boolean skip;
    private JsonLine.Filter filter;
    private boolean keep;
    private boolean descend;

    Name(String prefix, String name) {
      this(prefix, name, null, 0);
    }

    Name(String prefix, String name, byte[] raw, int hash) {
      this.prefix = prefix;
      this.raw = raw;
      this.hash = hash;
      this.full = prefix.isEmpty() ? name : JsonLine.join(prefix, name);
      this.skip = JsonLine.skipped(prefix, full);
    }

    /** The prefix of the members of an object of this name. */
    String sub() {
      if (sub == null) {
        sub = JsonLine.join(full, "");
      }
      return sub;
    }

    boolean keep(JsonLine.Filter f) {
      decide(f);
      return keep;
    }

    boolean descend(JsonLine.Filter f) {
      decide(f);
      return descend;
    }

    private void decide(JsonLine.Filter f) {
      if (filter != f) {
        keep = f.keep(full);
        descend = f.descend(sub());
        filter = f;
      }
    }
  }

  /** The plain ASCII names seen under each prefix, found by their bytes; at most {@value #MAX} of them. */
  private static final class Names {
    private static final int SLOTS = 4096;
    private static final int MAX = SLOTS / 2;
    private static final int PROBES = 32;
    private final Name[] slots = new Name[SLOTS];
    private int count;

    Name find(String prefix, byte[] b, int s, int n) {
      int h = prefix.hashCode();
      for (int i = s; i < s + n; i++) {
        h = 31 * h + b[i];
      }
      h ^= h >>> 16;
      // a walk is at most PROBES long, so that names made to collide cost no more than new ones
      for (int i = h & (SLOTS - 1), k = 0;; i = (i + 1) & (SLOTS - 1), k++) {
        Name e = slots[i];
        if (e == null || k == PROBES) {
          Name made = new Name(prefix, new String(b, s, n, StandardCharsets.ISO_8859_1), Arrays.copyOfRange(b, s, s + n), h);
          if (e == null && count < MAX) {
            slots[i] = made;
            count++;
          }
          return made;
        }
        if (e.hash == h && Arrays.equals(e.raw, 0, e.raw.length, b, s, s + n) && e.prefix.equals(prefix)) {
          return e;
        }
      }
    }
  }
}
