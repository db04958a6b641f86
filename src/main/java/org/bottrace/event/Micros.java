package org.bottrace.event;

import java.time.Instant;
import java.time.LocalDate;

/** Times as microseconds since the epoch: parsing the sensors' forms and formatting ours. */
public final class Micros {
  /** Marks an unset time or interval. */
  public static final long UNSET = Long.MIN_VALUE;

  private Micros() {}

  /**
   * Parses a Zeek epoch time or interval ("1795309823.489295", "0.000753", "19.98", "-1.5", "1e-06")
   * to microseconds, rounding beyond six decimals.
   *
   * @throws NumberFormatException if the text is not a decimal number
   */
  public static long parseEpoch(CharSequence s, int from, int to) {
    if (from >= to) {
      throw new NumberFormatException("empty time");
    }
    int i = from;
    boolean neg = false;
    if (s.charAt(i) == '-') {
      neg = true;
      i++;
    }
    long whole = 0;
    int digits = 0;
    while (i < to && isDigit(s.charAt(i))) {
      whole = whole * 10 + (s.charAt(i) - '0');
      i++;
      if (++digits > 12) {
        throw new NumberFormatException("time out of range: " + s.subSequence(from, to));
      }
    }
    long frac = 0;
    int fracDigits = 0;
    boolean roundUp = false;
    if (i < to && s.charAt(i) == '.') {
      i++;
      while (i < to && isDigit(s.charAt(i))) {
        if (fracDigits < 6) {
          frac = frac * 10 + (s.charAt(i) - '0');
          fracDigits++;
        } else if (fracDigits == 6) {
          roundUp = s.charAt(i) >= '5';
          fracDigits++;
        }
        i++;
        digits++;
      }
    }
    if (i < to || digits == 0) {
      // exponent forms and anything else: let Double decide, then round
      return fromDouble(Double.parseDouble(s.subSequence(from, to).toString()));
    }
    for (int k = Math.min(fracDigits, 6); k < 6; k++) {
      frac *= 10;
    }
    long v = whole * 1_000_000L + frac + (roundUp ? 1 : 0);
    return neg ? -v : v;
  }

  /** Seconds as a double (Zeek JSON epoch or interval, EVE numbers) to microseconds, rounded. */
  public static long fromDouble(double seconds) {
    if (Double.isNaN(seconds) || Double.isInfinite(seconds) || Math.abs(seconds) > 9.2e12) {
      throw new NumberFormatException("time out of range: " + seconds);
    }
    return Math.round(seconds * 1_000_000.0);
  }

  /**
   * Parses ISO 8601 as Zeek (2018-03-24T17:15:20.865716Z) and Suricata (2026-11-22T01:10:23.485329+0000)
   * write it; an absent zone means UTC (Suricata's own docs show such examples).
   *
   * @throws NumberFormatException if the text is not such a time
   */
  public static long parseIso(String s) {
    int n = s.length();
    if (n < 19 || s.charAt(4) != '-' || s.charAt(7) != '-' || (s.charAt(10) != 'T' && s.charAt(10) != ' ')
        || s.charAt(13) != ':' || s.charAt(16) != ':') {
      throw new NumberFormatException("not an ISO 8601 time: " + s);
    }
    int year = num(s, 0, 4);
    int month = num(s, 5, 7);
    int day = num(s, 8, 10);
    int hour = num(s, 11, 13);
    int min = num(s, 14, 16);
    int sec = num(s, 17, 19);
    if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) {
      throw new NumberFormatException("not an ISO 8601 time: " + s);
    }
    int i = 19;
    long frac = 0;
    if (i < n && (s.charAt(i) == '.' || s.charAt(i) == ',')) {
      i++;
      int fd = 0;
      boolean roundUp = false;
      while (i < n && isDigit(s.charAt(i))) {
        if (fd < 6) {
          frac = frac * 10 + (s.charAt(i) - '0');
        } else if (fd == 6) {
          roundUp = s.charAt(i) >= '5';
        }
        fd++;
        i++;
      }
      if (fd == 0) {
        throw new NumberFormatException("not an ISO 8601 time: " + s);
      }
      for (int k = Math.min(fd, 6); k < 6; k++) {
        frac *= 10;
      }
      if (roundUp) {
        frac++;
      }
    }
    long offsetSeconds = 0;
    if (i < n) {
      char z = s.charAt(i);
      if (z == 'Z' && i == n - 1) {
        i++;
      } else if (z == '+' || z == '-') {
        int oh;
        int om;
        if (n - i == 6 && s.charAt(i + 3) == ':') {
          oh = num(s, i + 1, i + 3);
          om = num(s, i + 4, i + 6);
        } else if (n - i == 5) {
          oh = num(s, i + 1, i + 3);
          om = num(s, i + 3, i + 5);
        } else if (n - i == 3) {
          oh = num(s, i + 1, i + 3);
          om = 0;
        } else {
          throw new NumberFormatException("bad zone offset in " + s);
        }
        offsetSeconds = (oh * 3600L + om * 60L) * (z == '-' ? -1 : 1);
        i = n;
      } else {
        throw new NumberFormatException("not an ISO 8601 time: " + s);
      }
    }
    long days;
    try {
      days = LocalDate.of(year, month, day).toEpochDay();
    } catch (java.time.DateTimeException e) {
      throw new NumberFormatException("not a date: " + s);
    }
    long epoch = days * 86400L + hour * 3600L + min * 60L + sec - offsetSeconds;
    return epoch * 1_000_000L + frac;
  }

  /** A time in any of the forms the sensors use: epoch seconds or ISO 8601. */
  public static long parseAny(String s) {
    if (s.length() >= 19 && s.charAt(4) == '-') {
      return parseIso(s);
    }
    return parseEpoch(s, 0, s.length());
  }

  /** Epoch seconds with six decimals, as Zeek writes time ("1795309823.489295"). */
  public static String formatEpoch(long micros) {
    StringBuilder b = new StringBuilder(20);
    appendEpoch(b, micros);
    return b.toString();
  }

  /** Appends epoch seconds with six decimals. */
  public static void appendEpoch(StringBuilder b, long micros) {
    if (micros < 0) {
      b.append('-');
      micros = -micros;
    }
    b.append(micros / 1_000_000L).append('.');
    String f = Long.toString(micros % 1_000_000L);
    for (int k = f.length(); k < 6; k++) {
      b.append('0');
    }
    b.append(f);
  }

  /** ISO 8601 in UTC with microseconds, for people. */
  public static String formatIso(long micros) {
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L)
        .toString();
  }

  private static int num(String s, int from, int to) {
    int v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        throw new NumberFormatException("not an ISO 8601 time: " + s);
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
