package org.bottrace.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Writes large, realistic logs for the end-to-end benchmark: a Zeek conn.log (TSV, Zeek 7 columns), its
 * first rows as Zeek JSON, and two Suricata EVE files copied from real EVE: eve.json, the worst case
 * (every copy a botnet beside its IRC server, a notice every few events), and eve-mix.json, a busy
 * site's mix (a benign company's web, TLS and DNS, with one IRC C&amp;C server's share), all in time
 * order, from a fixed seed so every run reads the same bytes.
 *
 * <p>Usage: {@code GenerateLogs DIR CONN_LINES EVE_EVENTS JSON_LINES} (both EVE files of EVE_EVENTS)
 */
public final class GenerateLogs {
  private static final long DAY_START = 1_773_446_400_000_000L; // 2026-03-14T00:00:00Z in microseconds

  private GenerateLogs() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args.length > 0 ? args[0] : "bench-data");
    long conn = args.length > 1 ? Long.parseLong(args[1]) : 5_000_000L;
    long eve = args.length > 2 ? Long.parseLong(args[2]) : 1_000_000L;
    long json = args.length > 3 ? Long.parseLong(args[3]) : conn;
    Files.createDirectories(dir);
    writeConn(dir.resolve("conn.log"), conn);
    writeConnJson(dir.resolve("conn.log"), dir.resolve("conn.json"), json);
    writeEve(dir.resolve("eve.json"), eve);
    writeEveMix(dir.resolve("eve-mix.json"), eve);
  }

  /** The first {@code rows} rows of a conn.log as Zeek JSON (LogAscii::use_json), into {@code json}. */
  public static void writeConnJson(Path tsv, Path json, long rows) throws IOException {
    try (java.io.BufferedReader r = Files.newBufferedReader(tsv, StandardCharsets.UTF_8);
        BufferedWriter w = Files.newBufferedWriter(json, StandardCharsets.UTF_8)) {
      String[] fields = null;
      long n = 0;
      StringBuilder b = new StringBuilder(512);
      for (String l; n < rows && (l = r.readLine()) != null; ) {
        if (l.startsWith("#fields\t")) {
          fields = l.substring(8).split("\t");
        }
        if (l.startsWith("#") || fields == null) {
          continue;
        }
        b.setLength(0);
        toJson(fields, l.split("\t"), b);
        w.write(b.toString());
        n++;
      }
    }
  }

  /** One TSV row as Zeek's JSON writer writes it: unset fields left out, counts and times as numbers. */
  static void toJson(String[] fields, String[] v, StringBuilder b) {
    b.append("{\"_path\":\"conn\"");
    for (int i = 0; i < fields.length; i++) {
      if (v[i].equals("-")) {
        continue;
      }
      boolean num = v[i].matches("[0-9.]+") && !fields[i].contains("_h");
      boolean bool = v[i].equals("T") || v[i].equals("F");
      b.append(",\"").append(fields[i]).append("\":");
      if (bool) {
        b.append(v[i].equals("T"));
      } else if (num) {
        b.append(v[i]);
      } else {
        b.append('"').append(v[i]).append('"');
      }
    }
    b.append("}\n");
  }

  /** One of about a million internal hosts (10.0.0.1 to 10.15.255.254). */
  static String internal(SplittableRandom r) {
    return "10." + r.nextInt(16) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
  }

  static String external(SplittableRandom r) {
    int a = 1 + r.nextInt(223);
    if (a == 10 || a == 127) {
      a++;
    }
    return a + "." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
  }

  static String uid(SplittableRandom r) {
    String abc = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    StringBuilder b = new StringBuilder("C");
    for (int i = 0; i < 17; i++) {
      b.append(abc.charAt(r.nextInt(abc.length())));
    }
    return b.toString();
  }

  public static void writeConn(Path file, long lines) throws IOException {
    SplittableRandom r = new SplittableRandom(7351);
    String[] states = {"SF", "SF", "SF", "SF", "S0", "REJ", "RSTO", "RSTR", "SH", "OTH", "S1"};
    // a fifth of the rows with service irc (a site beside a busy IRC server)
    String[] services = {"dns", "ssl", "http", "-", "irc", "ssl", "dns", "irc", "ntp", "-"};
    long step = 86_400_000_000L / Math.max(1, lines);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n#path\tconn\n"
          + "#open\t2026-03-14-00-00-00\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice"
          + "\tduration\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts"
          + "\torig_ip_bytes\tresp_pkts\tresp_ip_bytes\ttunnel_parents\tip_proto\n#types\ttime\tstring\taddr\tport\taddr"
          + "\tport\tenum\tstring\tinterval\tcount\tcount\tstring\tbool\tbool\tcount\tstring\tcount\tcount\tcount\tcount"
          + "\tset[string]\tcount\n");
      StringBuilder b = new StringBuilder(256);
      for (long i = 0; i < lines; i++) {
        long ts = DAY_START + i * step + r.nextInt((int) Math.max(1, step));
        String svc = services[r.nextInt(services.length)];
        boolean udp = svc.equals("dns") || svc.equals("ntp");
        int port = udp ? (svc.equals("dns") ? 53 : 123) : svc.equals("irc") ? 6667 : 443;
        long dur = r.nextInt(4_000_000);
        long ob = r.nextInt(5000);
        long rb = r.nextInt(80_000);
        b.setLength(0);
        b.append(ts / 1_000_000).append('.').append(String.format(Locale.ROOT, "%06d", ts % 1_000_000)).append('\t')
            .append(uid(r)).append('\t').append(internal(r)).append('\t').append(1024 + r.nextInt(64_000)).append('\t')
            .append(external(r)).append('\t').append(port).append('\t')
            .append(udp ? "udp" : "tcp").append('\t').append(svc).append('\t')
            .append(dur / 1_000_000).append('.').append(String.format(Locale.ROOT, "%06d", dur % 1_000_000)).append('\t')
            .append(ob).append('\t').append(rb).append('\t').append(states[r.nextInt(states.length)])
            .append("\tT\tF\t0\tShADadFf\t").append(1 + ob / 500).append('\t').append(ob + 40).append('\t')
            .append(1 + rb / 1400).append('\t').append(rb + 40).append("\t-\t").append(udp ? 17 : 6).append('\n');
        w.write(b.toString());
      }
      w.write("#close\t2026-03-15-00-00-00\n");
    }
  }

  static String iso(long micros) {
    java.time.Instant t = java.time.Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
    String s = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
        .withZone(java.time.ZoneOffset.UTC).format(t);
    return s + "+0000";
  }

  /**
   * Real Suricata 7.0.10 EVE (bottrace's test captures: a company sensor with its bots, web and DNS, one
   * beside an IRC C&amp;C server, one beside a public IRC server, and the flow-level corpus with TLS),
   * weighted so the IRC server's share of IRC-as-ftp events and alerts is a busy one's: the worst case,
   * every copy a botnet (a notice every few events).
   */
  static final String[][] TEMPLATES = {
      {"src/test/resources/data/flows/company/suricata/eve.json", "1"},
      {"src/test/resources/data/vantage/company/suricata/eve.json", "4"},
      {"src/test/resources/data/vantage/cc-server/suricata/eve.json", "6"},
      {"src/test/resources/data/vantage/public-server/suricata/eve.json", "2"},
      {"src/test/resources/data/devsim/suricata/eve.json", "1"}};

  /**
   * A busy site's mix: real Suricata 7.0.10 EVE of a benign company on loopback (src/test/scripts/
   * site-corpus.py: people browsing over HTTP and TLS, resolving names, a little background), many
   * copies of it, beside one company sensor with its bots and one IRC C&amp;C server's sensor.
   */
  static final String[][] MIX = {
      {"src/test/resources/data/bench/site/suricata/eve.json", "2"},
      {"src/test/resources/data/vantage/company/suricata/eve.json", "1"},
      {"src/test/resources/data/vantage/cc-server/suricata/eve.json", "1"}};

  /**
   * An EVE file of {@code events} events copied from {@code templates}: each template file is a site, taken
   * as many times as its weight, each time with addresses of its own; a copy of all the sites starts at
   * 0 and lasts as long as the longest, and copy k is shifted forward by k copies (so the copies follow
   * one another in time order). Addresses are moved to the site's own, flow ids too, so that state grows
   * as on a real sensor.
   */
  public static void writeEve(Path file, long events) throws IOException {
    writeEve(file, events, TEMPLATES);
  }

  /** An EVE file of {@code events} events of a busy site's mix ({@link #MIX}). */
  public static void writeEveMix(Path file, long events) throws IOException {
    writeEve(file, events, MIX);
  }

  private static void writeEve(Path file, long events, String[][] templates) throws IOException {
    com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
    java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> tpl = new java.util.ArrayList<>();
    java.util.List<Long> rel = new java.util.ArrayList<>();
    java.util.List<Long> order = new java.util.ArrayList<>();
    java.util.List<Integer> site = new java.util.ArrayList<>();
    long span = 0;
    int sites = 0;
    for (String[] t : templates) {
      java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> one = new java.util.ArrayList<>();
      for (String l : Files.readAllLines(Path.of(t[0]))) {
        com.fasterxml.jackson.databind.JsonNode n = m.readTree(l);
        if (n.isObject() && n.path("timestamp").isTextual() && !"stats".equals(n.path("event_type").asText())) {
          one.add((com.fasterxml.jackson.databind.node.ObjectNode) n);
        }
      }
      long first = Long.MAX_VALUE;
      long last = Long.MIN_VALUE;
      for (com.fasterxml.jackson.databind.node.ObjectNode n : one) {
        first = Math.min(first, org.bottrace.event.Micros.parseIso(n.get("timestamp").asText()));
        last = Math.max(last, writtenAt(n));
      }
      span = Math.max(span, last - first + 1_000_000L);
      for (int w = 0; w < Integer.parseInt(t[1]); w++) {
        // Suricata writes a flow when it ends, with the flow's start as its timestamp: the file's order
        // is by when each event was written, which the latest time seen so far in the file tells
        long written = Long.MIN_VALUE;
        for (com.fasterxml.jackson.databind.node.ObjectNode n : one) {
          tpl.add(n);
          written = Math.max(written, writtenAt(n));
          rel.add(org.bottrace.event.Micros.parseIso(n.get("timestamp").asText()) - first);
          order.add(written - first);
          site.add(sites);
        }
        sites++;
      }
    }
    Integer[] idx = new Integer[tpl.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    // sites merged by when their events were written; stable, and monotone within a file: a file keeps its order
    java.util.Arrays.sort(idx, java.util.Comparator.comparingLong(order::get));
    java.util.Map<String, Long> mix = new java.util.TreeMap<>();
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      long written = 0;
      for (long copy = 0; written < events; copy++) {
        for (int x = 0; x < idx.length && written < events; x++) {
          int i = idx[x];
          com.fasterxml.jackson.databind.node.ObjectNode e = tpl.get(i).deepCopy();
          long shift = DAY_START + copy * span + rel.get(i)
              - org.bottrace.event.Micros.parseIso(e.get("timestamp").asText());
          retime(e, shift);
          long id = copy * sites + site.get(i);
          readdress(e, id);
          if (e.has("flow_id")) {
            e.put("flow_id", (e.get("flow_id").asLong() ^ (id * 0x9E3779B97F4A7C15L)) & 0x7ffffffffffffL);
          }
          w.write(m.writeValueAsString(e));
          w.write('\n');
          mix.merge(e.path("event_type").asText(), 1L, Long::sum);
          written++;
        }
      }
    }
    System.out.println(file.getFileName() + " mix: " + mix);
  }

  /** When Suricata wrote an event: its timestamp, or its flow's end when later. */
  private static long writtenAt(com.fasterxml.jackson.databind.JsonNode n) {
    long t = org.bottrace.event.Micros.parseIso(n.get("timestamp").asText());
    com.fasterxml.jackson.databind.JsonNode end = n.at("/flow/end");
    return end.isTextual() ? Math.max(t, org.bottrace.event.Micros.parseIso(end.asText())) : t;
  }

  private static final String[] TIME_FIELDS = {"/timestamp", "/flow/start", "/flow/end"};

  private static void retime(com.fasterxml.jackson.databind.node.ObjectNode e, long shift) {
    for (String p : TIME_FIELDS) {
      com.fasterxml.jackson.databind.JsonNode v = e.at(p);
      if (v.isTextual()) {
        long t = org.bottrace.event.Micros.parseIso(v.asText()) + shift;
        int slash = p.lastIndexOf('/');
        com.fasterxml.jackson.databind.node.ObjectNode parent = slash == 0 ? e
            : (com.fasterxml.jackson.databind.node.ObjectNode) e.at(p.substring(0, slash));
        parent.put(p.substring(slash + 1), iso(t));
      }
    }
  }

  private static final String[] ADDRESS_FIELDS = {"src_ip", "dest_ip"};

  private static void readdress(com.fasterxml.jackson.databind.node.ObjectNode e, long copy) {
    java.util.List<com.fasterxml.jackson.databind.node.ObjectNode> holders = new java.util.ArrayList<>();
    holders.add(e);
    if (e.get("flow") instanceof com.fasterxml.jackson.databind.node.ObjectNode f) {
      holders.add(f);
    }
    for (com.fasterxml.jackson.databind.node.ObjectNode h : holders) {
      for (String k : ADDRESS_FIELDS) {
        if (h.path(k).isTextual()) {
          h.put(k, moved(h.get(k).asText(), copy));
        }
      }
    }
  }

  /**
   * An address of copy {@code copy}: with v = copy * 16 + b (b below 16; v repeats every 4,096 copies,
   * days of log time apart), a capture's host 127.1.b.c becomes 10.x.y.c inside the default home networks
   * and a server 127.0.b.c the outside address 45.x.y.c, x.y being v: every copy a site of its own with
   * servers of its own, its hosts and servers kept apart; others move in their last two octets.
   */
  static String moved(String ip, long copy) {
    String[] o = ip.split("\\.");
    if (o.length != 4) {
      return ip;
    }
    if (o[0].equals("127")) {
      long v = copy * 16 + (Integer.parseInt(o[2]) & 15);
      return (o[1].equals("0") ? "45." : "10.") + (v / 256 % 256) + "." + (v % 256) + "." + o[3];
    }
    return o[0] + "." + o[1] + "." + ((Integer.parseInt(o[2]) + copy / 256) % 256) + "." + ((Integer.parseInt(o[3]) + copy) % 256);
  }
}
