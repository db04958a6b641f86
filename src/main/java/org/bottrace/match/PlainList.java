package org.bottrace.match;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An indicator list in one of the formats users have (see {@link #FORMATS}): plain (one IP address, CIDR
 * network or DNS name per line, {@code #} and {@code ;} comments), Spamhaus DROP/EDROP ("CIDR ; SBLnnn"),
 * Emerging Threats rule files (the IP lists in the rule headers, as in emerging-botcc.rules), Zeek Intel
 * files (ADDR, SUBNET, DOMAIN rows, with meta.source), the Malware Domain List CSV export, and abuse.ch
 * Feodo Tracker's CSV. Each entry is labelled with what the file says of it (SBL id, rule message, Zeek
 * source and description, MDL description, Feodo malware and status).
 *
 * @param name the list's name from the configuration
 * @param path where it was read from
 * @param ips its addresses and networks, each labelled with its own text
 * @param domains its names, each labelled with its own text
 * @param asns its autonomous systems (Spamhaus ASN-DROP, or "AS64500" lines), each with its label
 * @param skipped lines that were neither (line number and text, at most 20 kept)
 * @param skippedCount how many lines were neither
 */
public record PlainList(String name, Path path, IpSet ips, DomainSet domains,
    java.util.SortedMap<Long, String> asns, List<String> skipped, int skippedCount) {

  /** The formats {@link #load(String, Path, String)} reads. */
  public static final List<String> FORMATS = List.of("plain", "spamhaus_drop", "et_rules", "zeek_intel", "mdl_csv",
      "feodo_csv", "spamhaus_asn_drop");
  private static final java.util.regex.Pattern AS_NUMBER = java.util.regex.Pattern.compile("(?i)AS(\\d{1,10})");

  private static final java.util.regex.Pattern ET_LIST = java.util.regex.Pattern.compile("\\[([0-9a-fA-F.:/,]+)\\]");
  private static final java.util.regex.Pattern ET_MSG = java.util.regex.Pattern.compile("msg:\"([^\"]*)\"");
  private static final java.util.regex.Pattern ET_SID = java.util.regex.Pattern.compile("sid:(\\d+)");

  /** Reads a plain list file. */
  public static PlainList load(String name, Path path) throws IOException {
    return load(name, path, "plain");
  }

  /**
   * Reads a list file in a format of {@link #FORMATS}.
   *
   * @throws IllegalArgumentException for a format not in {@link #FORMATS}
   */
  public static PlainList load(String name, Path path, String format) throws IOException {
    if (!FORMATS.contains(format)) {
      throw new IllegalArgumentException("unknown list format '" + format + "'; known: " + FORMATS);
    }
    if (!format.equals("plain") && !format.equals("spamhaus_drop")) {
      return loadStructured(name, path, format);
    }
    IpSet ips = new IpSet();
    java.util.SortedMap<Long, String> asns = new java.util.TreeMap<>();
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
        String label = token;
        if (format.equals("spamhaus_drop")) {
          int semi = line.indexOf(';');
          label = semi < 0 ? token : token + " " + line.substring(semi + 1).strip(); // "1.4.0.0/17 SBL256893"
        }
        if (asn(asns, token, label) || ips.add(token, label) || domains.add(token, DomainSet.normalise(token))) {
          continue;
        }
        skippedCount++;
        if (skipped.size() < 20) {
          skipped.add(no + ": " + (t.length() > 80 ? t.substring(0, 80) + "..." : t));
        }
      }
    }
    return new PlainList(name, path, ips, domains, asns, List.copyOf(skipped), skippedCount);
  }

  /** An "AS64500" token: adds the number with its label. */
  private static boolean asn(java.util.SortedMap<Long, String> asns, String token, String label) {
    java.util.regex.Matcher m = AS_NUMBER.matcher(token);
    if (!m.matches() || Long.parseLong(m.group(1)) > 4_294_967_295L) {
      return false;
    }
    asns.put(Long.parseLong(m.group(1)), label);
    return true;
  }

  /** ET rules, Zeek Intel, MDL and Feodo CSV: a line gives indicators with a label, or nothing. */
  private static PlainList loadStructured(String name, Path path, String format) throws IOException {
    IpSet ips = new IpSet();
    java.util.SortedMap<Long, String> asns = new java.util.TreeMap<>();
    DomainSet domains = new DomainSet();
    List<String> skipped = new ArrayList<>();
    int skippedCount = 0;
    int[] zeekCols = null;
    try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String line;
      int no = 0;
      while ((line = r.readLine()) != null) {
        no++;
        String t = line.strip();
        if (t.isEmpty()) {
          continue;
        }
        if (format.equals("zeek_intel") && t.startsWith("#fields")) {
          List<String> f = List.of(t.split("\t"));
          zeekCols = new int[] {f.indexOf("indicator") - 1, f.indexOf("indicator_type") - 1,
              f.indexOf("meta.source") - 1, f.indexOf("meta.desc") - 1};
          continue;
        }
        if (t.startsWith("#")) {
          continue;
        }
        List<String[]> found = new ArrayList<>(); // {indicator, label}
        switch (format) {
          case "spamhaus_asn_drop" -> {
            // one JSON object a line: {"asn":932,"rir":"arin","domain":"xn.net","cc":"US","asname":"XNNET"};
            // the last line is {"type":"metadata",...}
            try {
              com.fasterxml.jackson.databind.JsonNode j = JSON.readTree(t);
              if (j != null && j.path("asn").canConvertToLong() && j.path("asn").asLong() > 0) {
                found.add(new String[] {"AS" + j.get("asn").asLong(), ("AS" + j.get("asn").asLong() + " "
                    + j.path("asname").asText("") + " " + j.path("domain").asText("") + " "
                    + j.path("cc").asText("")).strip()});
              } else if (j != null && j.path("type").asText("").equals("metadata")) {
                continue;
              }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
              // not JSON: skipped below
            }
          }
          case "et_rules" -> {
            java.util.regex.Matcher list = ET_LIST.matcher(t);
            java.util.regex.Matcher msg = ET_MSG.matcher(t);
            java.util.regex.Matcher sid = ET_SID.matcher(t);
            String label = (sid.find() ? "sid " + sid.group(1) + " " : "") + (msg.find() ? msg.group(1) : "");
            int head = t.indexOf('(');
            while (list.find() && (head < 0 || list.start() < head)) {
              for (String ip : list.group(1).split(",")) {
                found.add(new String[] {ip, label});
              }
            }
          }
          case "zeek_intel" -> {
            String[] f = line.split("\t", -1);
            if (zeekCols == null || zeekCols[0] < 0 || zeekCols[1] < 0 || f.length <= Math.max(zeekCols[0], zeekCols[1])) {
              break;
            }
            String type = f[zeekCols[1]];
            if (type.equals("Intel::ADDR") || type.equals("Intel::SUBNET") || type.equals("Intel::DOMAIN")) {
              String src = zeekCols[2] >= 0 && zeekCols[2] < f.length ? f[zeekCols[2]] : "";
              String desc = zeekCols[3] >= 0 && zeekCols[3] < f.length ? f[zeekCols[3]] : "";
              found.add(new String[] {f[zeekCols[0]], (src + " " + desc).strip()});
            } else {
              continue; // URLs, hashes, ...: not something a flow or a name can match
            }
          }
          case "mdl_csv" -> {
            List<String> f = csv(t);
            if (f.size() >= 5) {
              String label = "MDL " + f.get(0) + " " + f.get(4);
              for (int i = 1; i <= 2; i++) {
                String host = hostOf(f.get(i));
                if (host != null) {
                  found.add(new String[] {host, label});
                }
              }
            }
          }
          case "feodo_csv" -> {
            List<String> f = csv(t);
            if (f.size() > 1 && f.get(1).equals("dst_ip")) {
              continue; // the header row
            }
            if (f.size() >= 6) {
              found.add(new String[] {f.get(1), f.get(5) + " C2 port " + f.get(2) + ", " + f.get(3) + ", first seen "
                  + f.get(0) + ", last online " + f.get(4)});
            }
          }
          default -> throw new IllegalStateException(format);
        }
        boolean any = false;
        for (String[] x : found) {
          any |= format.equals("spamhaus_asn_drop") ? asn(asns, x[0], x[1])
              : ips.add(x[0].strip(), x[1]) || domains.add(x[0].strip(), x[1]);
        }
        if (!any) {
          skippedCount++;
          if (skipped.size() < 20) {
            skipped.add(no + ": " + (t.length() > 80 ? t.substring(0, 80) + "..." : t));
          }
        }
      }
    }
    return new PlainList(name, path, ips, domains, asns, List.copyOf(skipped), skippedCount);
  }

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

  /** The fields of a CSV line with double-quoted fields ("" inside quotes is a quote). */
  static List<String> csv(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder b = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          b.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          b.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        out.add(b.toString());
        b.setLength(0);
      } else {
        b.append(c);
      }
    }
    out.add(b.toString());
    return out;
  }

  /** The host of an MDL "domain/url" or "ip" field ("www.x.com/a.js", "1.2.3.4:8080/x.zip"), or null. */
  static String hostOf(String field) {
    String f = field.strip();
    if (f.isEmpty() || f.equals("-")) {
      return null;
    }
    int slash = f.indexOf('/');
    String host = slash < 0 ? f : f.substring(0, slash);
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(':') == colon) {
      host = host.substring(0, colon); // host:port (not IPv6)
    }
    return host.isEmpty() ? null : host;
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

  /** Every entry in canonical form (networks as address/length, names normalised), for the history. */
  public List<String> entries() {
    List<String> out = new ArrayList<>(ips.networks());
    out.addAll(domains.names());
    asns.keySet().forEach(a -> out.add("AS" + a));
    return out;
  }

  /** Number of entries. */
  public int size() {
    return ips.size() + domains.size() + asns.size();
  }
}
