package org.bottrace.event;

/**
 * IP address text: parsing to bytes without any DNS lookup, and one canonical text form so that
 * Zeek's compressed IPv6 ("2001:db8::1") and Suricata's expanded form ("2001:0db8:0000:...:0001")
 * compare equal.
 */
public final class Addresses {
  private Addresses() {}

  /**
   * The canonical text of an address: IPv4 unchanged, IPv6 in RFC 5952 form (lower case, longest run
   * of zero groups compressed). Text that is no IP address is returned unchanged.
   */
  public static String canonical(String s) {
    if (s == null || s.indexOf(':') < 0) {
      return s;
    }
    byte[] b = parse(s);
    return b == null ? s : format(b);
  }

  /** The 4 or 16 bytes of an IPv4 or IPv6 literal, or null if it is neither. Never resolves names. */
  public static byte[] parse(String s) {
    if (s == null || s.isEmpty()) {
      return null;
    }
    int pct = s.indexOf('%');
    if (pct >= 0) {
      s = s.substring(0, pct);
    }
    return s.indexOf(':') >= 0 ? parse6(s) : parse4(s, 0, s.length(), new byte[4], 0);
  }

  /** Whether the text is an IPv4 or IPv6 literal. */
  public static boolean isAddress(String s) {
    return parse(s) != null;
  }

  private static byte[] parse4(String s, int from, int to, byte[] out, int at) {
    long a = ipv4(s, from, to);
    if (a < 0) {
      return null;
    }
    for (int i = 0; i < 4; i++) {
      out[at + i] = (byte) (a >>> (24 - 8 * i));
    }
    return out;
  }

  /**
   * A 64-bit key for an address (or a name): an IPv4 literal is its number, anything else a hash of its
   * text (canonical IPv6 text, as the readers give it). For compact state keyed by host.
   */
  public static long key(String s) {
    long a = ipv4(s);
    return a >= 0 ? a : FlowKey.mix(FlowKey.hash64(s)) | 1L << 63;
  }

  /**
   * A 64-bit key for an address (or a name) and a port: exact for an IPv4 address (its number above the
   * port), a hash otherwise (never equal to an exact one).
   */
  public static long key(String s, int port) {
    long a = ipv4(s);
    return a >= 0 ? a << 16 | (port & 0xffff)
        : FlowKey.mix(key(s) + (port & 0xffffL) * 0x9E3779B97F4A7C15L) | 1L << 63;
  }

  /** A 64-bit key for two addresses (or names), in order: exact for two IPv4 addresses, a hash otherwise. */
  public static long key(String a, String b) {
    long x = ipv4(a);
    long y = ipv4(b);
    return x >= 0 && y >= 0 ? x << 32 | y : FlowKey.mix(key(a) * 0x9E3779B97F4A7C15L + key(b));
  }

  /**
   * The IPv4 literal {@code s} as an unsigned 32-bit number, or -1 if it is none (an IPv6 literal
   * included): no allocation, for look-ups on every record.
   */
  public static long ipv4(String s) {
    if (s == null) {
      return -1;
    }
    // every detector asks of the same record's two addresses in turn: the last two answers, by identity
    Memo m = MEMO.get();
    if (s == m.a) {
      return m.va;
    }
    if (s == m.b) {
      return m.vb;
    }
    long v = ipv4(s, 0, s.length());
    m.b = m.a;
    m.vb = m.va;
    m.a = s;
    m.va = v;
    return v;
  }

  /** The last two texts {@link #ipv4(String)} parsed on a thread, with their answers. */
  private static final class Memo {
    String a;
    long va;
    String b;
    long vb;
  }

  private static final ThreadLocal<Memo> MEMO = ThreadLocal.withInitial(Memo::new);

  private static long ipv4(String s, int from, int to) {
    int part = 0;
    int val = 0;
    int digits = 0;
    long a = 0;
    for (int i = from; i <= to; i++) {
      char c = i < to ? s.charAt(i) : '.';
      if (c == '.') {
        if (digits == 0 || part > 3) {
          return -1;
        }
        a = (a << 8) | val;
        part++;
        val = 0;
        digits = 0;
      } else if (c >= '0' && c <= '9') {
        val = val * 10 + (c - '0');
        if (++digits > 3 || val > 255) {
          return -1;
        }
      } else {
        return -1;
      }
    }
    return part == 4 ? a : -1;
  }

  private static byte[] parse6(String s) {
    byte[] out = new byte[16];
    int n = s.length();
    int gap = -1;
    int at = 0;
    int i = 0;
    if (s.startsWith("::")) {
      gap = 0;
      i = 2;
      if (n == 2) {
        return out;
      }
    } else if (s.startsWith(":")) {
      return null;
    }
    while (i < n) {
      int end = s.indexOf(':', i);
      if (end < 0) {
        end = n;
      }
      if (end == i) {
        return null;
      }
      if (end == n && s.indexOf('.', i) >= 0) {
        if (at > 12 || parse4(s, i, n, out, at) == null) {
          return null;
        }
        at += 4;
        i = n;
        break;
      }
      if (end - i > 4 || at > 14) {
        return null;
      }
      int v = 0;
      for (int k = i; k < end; k++) {
        int d = Character.digit(s.charAt(k), 16);
        if (d < 0) {
          return null;
        }
        v = (v << 4) | d;
      }
      out[at++] = (byte) (v >> 8);
      out[at++] = (byte) v;
      if (end == n) {
        i = n;
      } else if (end + 1 < n && s.charAt(end + 1) == ':') {
        if (gap >= 0) {
          return null;
        }
        gap = at;
        i = end + 2;
      } else {
        if (end + 1 == n) {
          return null;
        }
        i = end + 1;
      }
    }
    if (gap >= 0) {
      int tail = at - gap;
      System.arraycopy(out, gap, out, 16 - tail, tail);
      for (int k = gap; k < 16 - tail; k++) {
        out[k] = 0;
      }
    } else if (at != 16) {
      return null;
    }
    return out;
  }

  /** RFC 5952 text of 4 or 16 address bytes. */
  public static String format(byte[] b) {
    if (b.length == 4) {
      return (b[0] & 255) + "." + (b[1] & 255) + "." + (b[2] & 255) + "." + (b[3] & 255);
    }
    int bestStart = -1;
    int bestLen = 0;
    for (int g = 0; g < 8; ) {
      if (group(b, g) == 0) {
        int s = g;
        while (g < 8 && group(b, g) == 0) {
          g++;
        }
        if (g - s > bestLen && g - s > 1) {
          bestStart = s;
          bestLen = g - s;
        }
      } else {
        g++;
      }
    }
    StringBuilder sb = new StringBuilder(39);
    boolean mapped = bestStart == 0 && bestLen == 5 && group(b, 5) == 0xffff;
    if (mapped) {
      return "::ffff:" + (b[12] & 255) + "." + (b[13] & 255) + "." + (b[14] & 255) + "." + (b[15] & 255);
    }
    for (int g = 0; g < 8; g++) {
      if (g == bestStart) {
        sb.append("::");
        g += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(group(b, g)));
    }
    return sb.toString();
  }

  private static int group(byte[] b, int g) {
    return ((b[2 * g] & 255) << 8) | (b[2 * g + 1] & 255);
  }
}
