package org.bottrace.enrich;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain indicator list: one IP address, CIDR network or DNS name per line, with {@code #} and
 * {@code ;} comments (so Spamhaus DROP's "CIDR ; SBLnnn" lines read too) and blank lines ignored.
 *
 * @param name the list's name from the configuration
 * @param path where it was read from
 * @param ips its addresses and networks, each labelled with its own text
 * @param domains its names, each labelled with its own text
 * @param skipped lines that were neither (line number and text, at most 20 kept)
 * @param skippedCount how many lines were neither
 */
public record PlainList(String name, Path path, IpSet ips, DomainSet domains, List<String> skipped,
    int skippedCount) {

  /** Reads a list file. */
  public static PlainList load(String name, Path path) throws IOException {
    IpSet ips = new IpSet();
    DomainSet domains = new DomainSet();
    List<String> skipped = new ArrayList<>();
    int skippedCount = 0;
    try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String line;
      int no = 0;
      while ((line = r.readLine()) != null) {
        no++;
        String t = line;
        int c = indexOfComment(t);
        if (c >= 0) {
          t = t.substring(0, c);
        }
        t = t.strip();
        if (t.isEmpty()) {
          continue;
        }
        int ws = firstBlank(t);
        String token = ws < 0 ? t : t.substring(0, ws);
        if (ips.add(token, token) || domains.add(token, DomainSet.normalise(token))) {
          continue;
        }
        skippedCount++;
        if (skipped.size() < 20) {
          skipped.add(no + ": " + (t.length() > 80 ? t.substring(0, 80) + "..." : t));
        }
      }
    }
    return new PlainList(name, path, ips, domains, List.copyOf(skipped), skippedCount);
  }

  private static int indexOfComment(String s) {
    int h = s.indexOf('#');
    int sc = s.indexOf(';');
    if (h < 0) {
      return sc;
    }
    return sc < 0 ? h : Math.min(h, sc);
  }

  private static int firstBlank(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isWhitespace(s.charAt(i))) {
        return i;
      }
    }
    return -1;
  }

  /** Number of entries. */
  public int size() {
    return ips.size() + domains.size();
  }
}
