package org.bottrace.source;

/**
 * Log content is attacker-controlled: before it reaches a terminal, a log file or a SIEM it is made
 * printable. Control characters (C0 but tab, DEL, C1), the bidirectional controls that reorder what a
 * reader sees (U+061C, U+200E/F, U+202A-E, U+2066-9), the byte order mark and zero-width no-break space
 * (U+FEFF), line and paragraph separators (U+2028/9) and unpaired surrogates are written the way Zeek
 * writes bytes it will not print: each byte of their UTF-8 form as {@code \xNN} (U+202E is
 * {@code \xe2\x80\xae}); a backslash that would start such an escape is written {@code \x5c}.
 */
public final class Printable {
  private Printable() {}

  /** Whether the character is one a reader must not get raw. */
  public static boolean hidden(char c) {
    return c < 0x20 && c != '\t' || c >= 0x7f && c <= 0x9f || c == 0x061c || c == 0x200e || c == 0x200f
        || c >= 0x202a && c <= 0x202e || c >= 0x2066 && c <= 0x2069 || c == 0xfeff || c == 0x2028 || c == 0x2029;
  }

  /** {@code s} with every hidden character escaped; the same string when there is none. */
  public static String of(String s) {
    if (s == null) {
      return null;
    }
    int i = 0;
    int n = s.length();
    while (i < n && !needs(s, i)) {
      i++;
    }
    if (i == n) {
      return s;
    }
    StringBuilder b = new StringBuilder(n + 16).append(s, 0, i);
    for (; i < n; i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
      } else if (c == '\\' && i + 1 < n && s.charAt(i + 1) == 'x') {
        b.append("\\x5c");
      } else if (hidden(c) || Character.isSurrogate(c)) {
        bytes(b, c);
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  private static boolean needs(String s, int i) {
    char c = s.charAt(i);
    if (Character.isHighSurrogate(c)) {
      return i + 1 >= s.length() || !Character.isLowSurrogate(s.charAt(i + 1));
    }
    if (Character.isLowSurrogate(c)) {
      return i == 0 || !Character.isHighSurrogate(s.charAt(i - 1));
    }
    return hidden(c) || c == '\\' && i + 1 < s.length() && s.charAt(i + 1) == 'x';
  }

  /** The UTF-8 bytes of one char (a lone surrogate as its three-byte form), each as \xNN. */
  public static void bytes(StringBuilder b, char c) {
    int[] out = c < 0x80 ? new int[] {c}
        : c < 0x800 ? new int[] {0xc0 | c >> 6, 0x80 | c & 0x3f}
        : new int[] {0xe0 | c >> 12, 0x80 | c >> 6 & 0x3f, 0x80 | c & 0x3f};
    for (int x : out) {
      b.append("\\x").append(Character.forDigit(x >> 4, 16)).append(Character.forDigit(x & 0xf, 16));
    }
  }
}
