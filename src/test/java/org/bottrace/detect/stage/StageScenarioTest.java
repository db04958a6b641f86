package org.bottrace.detect.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.bottrace.ZeekLog;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The infection stages on bottrace_devsim and on a scenario with look-alikes that must stay quiet: a
 * vulnerability scanner scanning us, a monitoring server polling its neighbours, a software update
 * downloaded over HTTP.
 */
class StageScenarioTest {
  @TempDir
  Path dir;

  static Set<String> who(List<JsonNode> notices, String note) {
    Set<String> out = new TreeSet<>();
    for (JsonNode n : Notices.of(notices, note)) {
      out.add(n.get("src").asText());
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({"zeek, false", "zeek-json, false", "zeek, true", "zeek-json, true"})
  void devsim_theScannerAndTheTwoDownloaders(String zeek, boolean eve) throws Exception {
    List<String> args = new ArrayList<>(List.of("replay", TestFiles.data("devsim/" + zeek).toString()));
    if (eve) {
      args.add(TestFiles.data("devsim/suricata/eve.json").toString());
    }
    Run r = Run.of(args.toArray(new String[0]));
    assertEquals(0, r.code(), r.err());
    List<JsonNode> n = Notices.parse(r.out());
    assertEquals(Set.of("113.87.141.58"), who(n, "Scan::Propagation"));
    assertEquals(1, Notices.of(n, "Scan::Propagation").size(), "one flow seen by both sensors counts once");
    JsonNode scan = Notices.of(n, "Scan::Propagation").get(0).get("evidence");
    assertEquals(30, scan.get("targets").asInt());
    assertEquals(28, scan.get("failed_or_unanswered").asInt());
    assertEquals("113.87.141.0/24", scan.get("scope").asText());
    assertEquals(Set.of("182.148.20.66", "79.246.161.195"), who(n, "Bot::Download"));
    for (JsonNode d : Notices.of(n, "Bot::Download")) {
      assertEquals("85.17.184.21:6667", d.get("evidence").get("irc_server").asText());
      assertEquals("/u.exe", d.get("evidence").get("uri").asText());
    }
    // the five bots that looked their server up (the other three use its address)
    assertEquals(Set.of("113.87.141.58", "117.196.44.130", "122.171.105.12", "182.148.20.66", "79.246.161.195"),
        who(n, "DNS::CCResolution"));
    for (JsonNode c : Notices.of(n, "DNS::CCResolution")) {
      assertEquals("irc.polder-net.example", c.get("evidence").get("fqdn").asText());
      assertEquals("9.9.9.9", c.get("evidence").get("dns_server").asText());
      assertEquals("85.17.184.21", c.get("evidence").get("cc_server").asText());
    }
    assertEquals(Set.of("113.87.141.58", "182.148.20.66", "79.246.161.195"), who(n, "Bot::Infection"),
        "the bots with two stages: C&C contact and a download or the scan");
    Set<String> people = org.bottrace.detect.irc.DevsimBotnetTestAccess.hosts("human");
    for (JsonNode x : n) {
      if (x.has("src")) {
        assertEquals(false, people.contains(x.get("src").asText()) && !x.get("note").asText().equals(
            "IRC::ControlSession"), "nothing on a person: " + x);
      }
    }
  }

  private static String ts(double t) {
    return String.format(Locale.ROOT, "%.6f", t);
  }

  /** The scenario as Zeek TSV or JSON logs. */
  private Path zeekScenario(boolean json) throws Exception {
    double t0 = 1_790_000_000;
    Path z = dir.resolve("zeek");
    ZeekLog irc = new ZeekLog("irc", "ts", "time", "uid", "string", "id.orig_h", "addr", "id.orig_p", "port",
        "id.resp_h", "addr", "id.resp_p", "port", "nick", "string", "user", "string", "command", "string", "value",
        "string", "addl", "string");
    for (String[] b : new String[][] {{"192.0.2.23", "CBot1"}, {"192.0.2.24", "CBot2"}}) {
      irc.row(ts(t0), b[1], b[0], 49000, "203.0.113.66", 6667, null, null, "NICK", "[USA|XP]" + b[1], null);
      irc.row(ts(t0 + 1), b[1], b[0], 49000, "203.0.113.66", 6667, "[USA|XP]" + b[1], "u", "JOIN", "#x", "");
    }
    irc.write(z, json);
    ZeekLog conn = ZeekLog.conn();
    // the bot's propagation scan of its own /24: 40 targets, 36 refused or unanswered, 4 answered
    for (int i = 0; i < 40; i++) {
      String state = i % 10 == 0 ? "SF" : i % 2 == 0 ? "REJ" : "S0";
      conn.conn(t0 + 200 + i * 0.05, "CScan" + i, "192.0.2.23", 50000 + i, "192.0.2." + (100 + i), 445, "tcp", null,
          state.equals("SF") ? 0.01 : 0.0, 0, 0, state, state.equals("SF") ? "ShAFf" : state.equals("REJ") ? "Sr" : "S");
    }
    // look-alike: a vulnerability scanner outside scanning us (not near its own address)
    for (int i = 0; i < 60; i++) {
      conn.conn(t0 + 300 + i * 0.02, "CVuln" + i, "203.0.113.200", 40000 + i, "192.0.2." + (1 + i), i % 2 == 0 ? 445 : 3389,
          "tcp", null, 0.0, 0, 0, "S0", "S");
    }
    // look-alike: a monitoring server polling its neighbours over ssh, every poll answered
    for (int i = 0; i < 40; i++) {
      conn.conn(t0 + 400 + i * 0.1, "CMon" + i, "192.0.2.5", 41000 + i, "192.0.2." + (10 + i), 22, "tcp", "ssh", 1.2,
          900, 2400, "SF", "ShADadFf");
    }
    // the second bot fetches a program over TFTP during its IRC session
    conn.conn(t0 + 500, "CTftp", "192.0.2.24", 50069, "198.51.100.10", 69, "udp", null, 2.5, 300, 61440, "SF", "Dd");
    conn.write(z, json);
    ZeekLog http = new ZeekLog("http", "ts", "time", "uid", "string", "id.orig_h", "addr", "id.orig_p", "port",
        "id.resp_h", "addr", "id.resp_p", "port", "method", "string", "host", "string", "uri", "string", "user_agent",
        "string", "request_body_len", "count", "response_body_len", "count", "status_code", "count", "resp_fuids",
        "vector[string]", "resp_mime_types", "vector[string]");
    http.row(ts(t0 + 120), "CDown", "192.0.2.23", 49500, "198.51.100.9", 80, "GET", "198.51.100.9", "/x.exe",
        "Mozilla/4.0 (compatible; MSIE 6.0)", 0, 73728, 200, "FDown1", "application/x-dosexec");
    // look-alike: a software update from the vendor's named host, no IRC on that host
    http.row(ts(t0 + 150), "CUpd", "192.0.2.50", 51000, "198.51.100.80", 80, "GET", "download.vendor.example",
        "/updates/setup.exe", "VendorUpdater/3.1", 0, 4_194_304, 200, "FUpd1", "application/x-dosexec");
    http.write(z, json);
    ZeekLog files = new ZeekLog("files", "ts", "time", "fuid", "string", "uid", "string", "id.orig_h", "addr",
        "id.orig_p", "port", "id.resp_h", "addr", "id.resp_p", "port", "source", "string", "mime_type", "string",
        "filename", "string", "seen_bytes", "count", "total_bytes", "count");
    files.row(ts(t0 + 120.2), "FDown1", "CDown", "192.0.2.23", 49500, "198.51.100.9", 80, "HTTP",
        "application/x-dosexec", null, 73728, 73728);
    files.row(ts(t0 + 151), "FUpd1", "CUpd", "192.0.2.50", 51000, "198.51.100.80", 80, "HTTP",
        "application/x-dosexec", "setup.exe", 4_194_304, 4_194_304);
    files.write(z, json);
    ZeekLog dns = new ZeekLog("dns", "ts", "time", "uid", "string", "id.orig_h", "addr", "id.orig_p", "port",
        "id.resp_h", "addr", "id.resp_p", "port", "proto", "enum", "trans_id", "count", "query", "string",
        "qtype_name", "string", "rcode_name", "string", "answers", "vector[string]", "TTLs", "vector[interval]");
    // the bot tries generated names: 30 NXDOMAIN in a minute
    for (int i = 0; i < 30; i++) {
      dns.row(ts(t0 + 600 + i * 2), "CDga" + i, "192.0.2.23", 53000 + i, "192.0.2.53", 53, "udp", 1000 + i,
          String.format(Locale.ROOT, "%sqk%dzt.com", "xkqw".substring(i % 4), i * 7919 % 100000), "A", "NXDOMAIN",
          null, null);
    }
    // look-alike: the site's busy resolver: it answers clients and asks upstream; some names do not exist
    for (int i = 0; i < 200; i++) {
      dns.row(ts(t0 + 600 + i * 0.3), "CRes" + i, "192.0.2.53", 33000 + i, "198.51.100.53", 53, "udp", 5000 + i,
          "host" + i + (i % 5 == 0 ? ".typo.example" : ".example.com"), "A", i % 5 == 0 ? "NXDOMAIN" : "NOERROR",
          i % 5 == 0 ? null : "203.0.113." + (i % 200), i % 5 == 0 ? null : "300.000000");
      dns.row(ts(t0 + 600.1 + i * 0.3), "CCli" + i, "192.0.2." + (60 + i % 50), 34000 + i, "192.0.2.53", 53, "udp",
          7000 + i, "host" + i + ".example.com", "A", "NOERROR", "203.0.113." + (i % 200), "300.000000");
    }
    // look-alike: a laptop with a wrong search domain: many NXDOMAIN names, all under one domain
    for (int i = 0; i < 40; i++) {
      dns.row(ts(t0 + 620 + i), "CSearch" + i, "192.0.2.80", 37000 + i, "192.0.2.53", 53, "udp", 8000 + i,
          "printer" + i + ".corp.example", "A", "NXDOMAIN", null, null);
    }
    // a fast-flux name: 12 addresses in 12 networks, TTL 60
    for (int i = 0; i < 12; i++) {
      dns.row(ts(t0 + 700 + i * 30), "CFlux" + i, "192.0.2.70", 35000 + i, "192.0.2.53", 53, "udp", 9000 + i,
          "update.flux.example", "A", "NOERROR", fluxAddress(i), "60.000000");
    }
    // look-alike: a CDN name: 12 addresses, short TTL, but in two networks
    for (int i = 0; i < 12; i++) {
      dns.row(ts(t0 + 700 + i * 30), "CCdn" + i, "192.0.2.71", 36000 + i, "192.0.2.53", 53, "udp", 9500 + i,
          "static.shop.example", "A", "NOERROR", "151.101." + (i % 2) + "." + (10 + i), "20.000000");
    }
    // look-alikes: server pools, 12 addresses in 12 networks, TTL 150: one whose servers' PTR names are
    // seen (servers, not end-user lines), one nobody reverse-resolves (nothing is known of its lines)
    for (int i = 0; i < 12; i++) {
      dns.row(ts(t0 + 705 + i * 30), "CPool" + i, "192.0.2.72", 36500 + i, "192.0.2.53", 53, "udp", 9700 + i,
          "0.vendor.pool.example", "A", "NOERROR", poolAddress(i), "150.000000");
      dns.row(ts(t0 + 706 + i * 30), "CPoolB" + i, "192.0.2.72", 36600 + i, "192.0.2.53", 53, "udp", 9800 + i,
          "1.vendor.pool.example", "A", "NOERROR", "41." + (50 + i * 7) + ".9." + (20 + i), "150.000000");
    }
    // a proxy reverse-resolves the peers it saw: the flux name's and the first pool's
    for (int i = 0; i < 12; i++) {
      String[] f = ptr(fluxAddress(i), true, i);
      dns.row(ts(t0 + 1000 + i), "CPtr" + i, "192.0.2.90", 38000 + i, "192.0.2.53", 53, "udp", 9900 + i, f[0], "PTR",
          "NOERROR", f[1], "3600.000000");
      String[] p = ptr(poolAddress(i), false, i);
      dns.row(ts(t0 + 1000.5 + i), "CPtrP" + i, "192.0.2.90", 38100 + i, "192.0.2.53", 53, "udp", 9950 + i, p[0], "PTR",
          "NOERROR", p[1], "3600.000000");
    }
    dns.write(z, json);
    return z;
  }


  private static final com.fasterxml.jackson.databind.ObjectMapper M = new com.fasterxml.jackson.databind.ObjectMapper();
  private long flowId = 1_000_000;

  private static String iso(double t) {
    return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS+0000", Locale.ROOT)
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochSecond((long) t,
            Math.round((t - Math.floor(t)) * 1e6) * 1000));
  }

  private com.fasterxml.jackson.databind.node.ObjectNode eve(String type, double t, String src, int sp, String dst,
      int dp, String proto) {
    com.fasterxml.jackson.databind.node.ObjectNode o = M.createObjectNode();
    o.put("timestamp", iso(t)).put("flow_id", flowId++).put("event_type", type).put("src_ip", src)
        .put("src_port", sp).put("dest_ip", dst).put("dest_port", dp).put("proto", proto);
    return o;
  }

  private com.fasterxml.jackson.databind.node.ObjectNode flow(double t, String src, int sp, String dst, int dp,
      boolean refused, boolean answered) {
    com.fasterxml.jackson.databind.node.ObjectNode o = eve("flow", t, src, sp, dst, dp, "TCP");
    com.fasterxml.jackson.databind.node.ObjectNode f = o.putObject("flow");
    f.put("pkts_toserver", answered ? 6 : 1).put("pkts_toclient", answered || refused ? (answered ? 5 : 1) : 0)
        .put("bytes_toserver", answered ? 900 : 74).put("bytes_toclient", answered ? 2400 : refused ? 54 : 0)
        .put("start", iso(t)).put("end", iso(t + 0.01)).put("state", answered || refused ? "closed" : "new")
        .put("reason", "timeout");
    o.putObject("tcp").put("tcp_flags", refused ? "16" : answered ? "1b" : "02");
    return o;
  }

  private com.fasterxml.jackson.databind.node.ObjectNode dnsAnswer(double t, String client, int port, String server,
      long id, String name, String rcode, String address, int ttl) {
    return dnsAnswer(t, client, port, server, id, name, "A", rcode, address, ttl);
  }

  private com.fasterxml.jackson.databind.node.ObjectNode dnsAnswer(double t, String client, int port, String server,
      long id, String name, String type, String rcode, String rdata, int ttl) {
    com.fasterxml.jackson.databind.node.ObjectNode o = eve("dns", t, client, port, server, 53, "UDP");
    com.fasterxml.jackson.databind.node.ObjectNode d = o.putObject("dns");
    d.put("version", 2).put("type", "answer").put("id", id).put("rrname", name).put("rrtype", type).put("rcode", rcode);
    if (rdata != null) {
      d.putArray("answers").addObject().put("rrname", name).put("rrtype", type).put("ttl", ttl).put("rdata", rdata);
    }
    return o;
  }

  /** The flux name's addresses: compromised machines on residential lines, their PTR names their ISPs'. */
  static String fluxAddress(int i) {
    return (11 + i * 17) + "." + (3 + i) + ".7." + (9 + i);
  }

  /** What a host that reverse-resolves its peers (a proxy writing names into its log) asks and is told. */
  static String[] ptr(String address, boolean residential, int i) {
    String[] o = address.split("\\.");
    String q = o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".in-addr.arpa";
    return new String[] {q, residential ? "dsl-" + String.join("-", o) + ".dyn.broadband.example"
        : "ntp" + (i % 3 == 0 ? "" : "-a") + ".hoster" + i + ".example"};
  }

  /** A server pool like pool.ntp.org: many servers in many networks, short TTL; their names are servers'. */
  static String poolAddress(int i) {
    return (31 + i * 13) + "." + (40 + i) + ".2." + (3 + i);
  }

  /** The same scenario as Suricata saw it (EVE), beside Zeek's irc.log for the IRC sessions. */
  private Path eveScenario() throws Exception {
    double t0 = 1_790_000_000;
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      lines.add(M.writeValueAsString(flow(t0 + 200 + i * 0.05, "192.0.2.23", 50000 + i, "192.0.2." + (100 + i), 445,
          i % 10 != 0 && i % 2 == 0, i % 10 == 0)));
    }
    for (int i = 0; i < 60; i++) {
      lines.add(M.writeValueAsString(flow(t0 + 300 + i * 0.02, "203.0.113.200", 40000 + i, "192.0.2." + (1 + i),
          i % 2 == 0 ? 445 : 3389, false, false)));
    }
    for (int i = 0; i < 40; i++) {
      lines.add(M.writeValueAsString(flow(t0 + 400 + i * 0.1, "192.0.2.5", 41000 + i, "192.0.2." + (10 + i), 22,
          false, true)));
    }
    com.fasterxml.jackson.databind.node.ObjectNode tftp = eve("tftp", t0 + 500, "192.0.2.24", 50069, "198.51.100.10",
        69, "UDP");
    tftp.putObject("tftp").put("packet", "read").put("file", "sys32.exe").put("mode", "octet");
    lines.add(M.writeValueAsString(tftp));
    String[][] http = {{"192.0.2.23", "49500", "198.51.100.9", "198.51.100.9", "/x.exe", "120"},
        {"192.0.2.50", "51000", "198.51.100.80", "download.vendor.example", "/updates/setup.exe", "150"}};
    for (String[] h : http) {
      double t = t0 + Double.parseDouble(h[5]);
      com.fasterxml.jackson.databind.node.ObjectNode o = eve("http", t, h[0], Integer.parseInt(h[1]), h[2], 80, "TCP");
      o.putObject("http").put("hostname", h[3]).put("url", h[4]).put("http_user_agent", "x")
          .put("http_content_type", "application/x-msdos-program").put("http_method", "GET").put("status", 200)
          .put("length", 73728);
      lines.add(M.writeValueAsString(o));
      com.fasterxml.jackson.databind.node.ObjectNode fi = eve("fileinfo", t + 0.2, h[2], 80, h[0],
          Integer.parseInt(h[1]), "TCP");
      fi.putObject("http").put("hostname", h[3]).put("url", h[4]);
      fi.put("app_proto", "http");
      fi.putObject("fileinfo").put("filename", h[4]).put("magic", "PE32 executable (GUI) Intel 80386, for MS Windows")
          .put("state", "CLOSED").put("size", 73728);
      lines.add(M.writeValueAsString(fi));
    }
    for (int i = 0; i < 30; i++) {
      lines.add(M.writeValueAsString(dnsAnswer(t0 + 600 + i * 2, "192.0.2.23", 53000 + i, "192.0.2.53", 1000 + i,
          String.format(Locale.ROOT, "%sqk%dzt.com", "xkqw".substring(i % 4), i * 7919 % 100000), "NXDOMAIN", null, 0)));
    }
    for (int i = 0; i < 40; i++) {
      lines.add(M.writeValueAsString(dnsAnswer(t0 + 620 + i, "192.0.2.80", 37000 + i, "192.0.2.53", 8000 + i,
          "printer" + i + ".corp.example", "NXDOMAIN", null, 0)));
    }
    for (int i = 0; i < 12; i++) {
      lines.add(M.writeValueAsString(dnsAnswer(t0 + 700 + i * 30, "192.0.2.70", 35000 + i, "192.0.2.53", 9000 + i,
          "update.flux.example", "NOERROR", fluxAddress(i), 60)));
      lines.add(M.writeValueAsString(dnsAnswer(t0 + 700 + i * 30, "192.0.2.71", 36000 + i, "192.0.2.53", 9500 + i,
          "static.shop.example", "NOERROR", "151.101." + (i % 2) + "." + (10 + i), 20)));
      lines.add(M.writeValueAsString(dnsAnswer(t0 + 705 + i * 30, "192.0.2.72", 36500 + i, "192.0.2.53", 9700 + i,
          "0.vendor.pool.example", "NOERROR", poolAddress(i), 150)));
      lines.add(M.writeValueAsString(dnsAnswer(t0 + 706 + i * 30, "192.0.2.72", 36600 + i, "192.0.2.53", 9800 + i,
          "1.vendor.pool.example", "NOERROR", "41." + (50 + i * 7) + ".9." + (20 + i), 150)));
      String[] f = ptr(fluxAddress(i), true, i);
      lines.add(M.writeValueAsString(dnsAnswer(t0 + 1000 + i, "192.0.2.90", 38000 + i, "192.0.2.53", 9900 + i, f[0],
          "PTR", "NOERROR", f[1], 3600)));
      String[] p = ptr(poolAddress(i), false, i);
      lines.add(M.writeValueAsString(dnsAnswer(t0 + 1000.5 + i, "192.0.2.90", 38100 + i, "192.0.2.53", 9950 + i, p[0],
          "PTR", "NOERROR", p[1], 3600)));
    }
    lines.sort(java.util.Comparator.comparing((String l) -> l.substring(14, 40)));
    Path eve = dir.resolve("suricata/eve.json");
    Files.createDirectories(eve.getParent());
    Files.write(eve, lines);
    return eve;
  }

  @ParameterizedTest
  @ValueSource(strings = {"zeek", "zeek-json", "eve"})
  void scenario_stagesFoundLookAlikesQuiet(String form) throws Exception {
    Path z = zeekScenario(form.equals("zeek-json"));
    Run r = form.equals("eve")
        ? Run.of("replay", z.resolve("irc.log").toString(), eveScenario().toString())
        : Run.of("replay", z.toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> n = Notices.parse(r.out());
    assertEquals(Set.of("192.0.2.23"), who(n, "Scan::Propagation"), r.out());
    assertEquals(36, Notices.of(n, "Scan::Propagation").get(0).get("evidence").get("failed_or_unanswered").asInt());
    assertEquals(Set.of("192.0.2.23", "192.0.2.24"), who(n, "Bot::Download"), r.out());
    Set<String> signs = new TreeSet<>();
    for (JsonNode d : Notices.of(n, "Bot::Download")) {
      signs.addAll(Notices.strings(d.get("evidence").get("download_signs")));
    }
    assertEquals(Set.of("irc_session", "bare_ip_host", "tftp"), signs);
    assertEquals(Set.of("192.0.2.23"), who(n, "DNS::NXDomainBurst"),
        "the busy resolver and the wrong search domain are not generated names");
    assertEquals(List.of("update.flux.example"), Notices.of(n, "DNS::FastFlux").stream()
        .map(x -> x.get("sub").asText()).toList(), "the CDN and the server pools are not fast flux");
    JsonNode flux = Notices.of(n, "DNS::FastFlux").get(0).get("evidence");
    assertEquals(12, flux.get("line_types_known").asInt(), flux.toString());
    assertEquals(12, flux.get("end_user_addresses").asInt(), flux.toString());
    // the bot: download, propagation scan and DNS anomaly; the TFTP host has one stage only
    assertEquals(Set.of("192.0.2.23"), who(n, "Bot::Infection"));
    JsonNode story = Notices.of(n, "Bot::Infection").get(Notices.of(n, "Bot::Infection").size() - 1);
    assertEquals(List.of("download", "propagation", "dns_anomaly"), Notices.strings(story.get("evidence").get("stages")));
    assertEquals(true, Files.exists(z.resolve("conn.log")));
  }

  @org.junit.jupiter.api.Test
  void listedName_theLookupOfAListedDomain() throws Exception {
    Path z = zeekScenario(false);
    Path list = dir.resolve("cc-domains.txt");
    Files.writeString(list, "# C&C domains\nflux.example\n");
    Path cfg = dir.resolve("bottrace.yaml");
    Files.writeString(cfg, "detectors:\n  DNS::Anomalies:\n    lists:\n      - name: cc-domains\n        path: "
        + list + "\n        role: cc\n");
    Run r = Run.of("replay", "--config", cfg.toString(), z.resolve("dns.log").toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> n = Notices.parse(r.out());
    assertEquals(Set.of("192.0.2.70"), who(n, "DNS::ListedName"));
    JsonNode ev = Notices.of(n, "DNS::ListedName").get(0).get("evidence");
    assertEquals("update.flux.example", ev.get("query").asText());
    assertEquals("flux.example", ev.get("entry").asText());
    assertEquals("192.0.2.53", ev.get("dns_server").asText());
    assertEquals("cc", ev.get("role").asText());
  }
}
