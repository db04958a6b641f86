package org.bottrace.sink;

/** Bounds attacker-controlled text before it is written anywhere. */
final class Text {
  /** Longest string written from the logs; longer ones are cut and marked. */
  static final int MAX = 512;

  private Text() {}

  static String bound(String s) {
    if (s == null || s.length() <= MAX) {
      return s;
    }
    int cut = MAX;
    if (Character.isHighSurrogate(s.charAt(cut - 1))) {
      cut--;
    }
    return s.substring(0, cut) + "...[" + (s.length() - cut) + " more chars]";
  }
}
