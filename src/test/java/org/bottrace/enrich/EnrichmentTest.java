package org.bottrace.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.bottrace.ZeekLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Document 004's enrichment of the servers notices name: lists, PTR and S25R, open IRC, country, class. */
class EnrichmentTest {
  @TempDir
  Path dir;

  static JsonNode server(List<JsonNode> notices, String note, String ip) {
    for (JsonNode n : Notices.of(notices, note)) {
      JsonNode s = Notices.server(n, ip);
      if (!s.isMissingNode()) {
        return s;
      }
    }
    throw new AssertionError("no " + note + " enriching " + ip);
  }

  @Test
  void devsim_theCcServerIsAnOpenIrcServer_professional() {
    Run r = Run.of("replay", TestFiles.data("devsim/zeek-package").toString());
    List<JsonNode> n = Notices.parse(r.out());
    JsonNode s = server(n, "IRC::CCServer", "85.17.184.21");
    assertEquals("professional", s.get("class").asText());
    assertEquals("default port 6667 and the bots registered without PASS", s.get("open_irc_server").get("why").asText());
    assertEquals("unknown", s.get("s25r").get("state").asText(), "no PTR of the server was seen");
    JsonNode name = s.get("names").get(0);
    assertEquals("irc.polder-net.example", name.get("name").asText(), "passive DNS: the name that led to it");
    assertEquals("9.9.9.9", name.get("dns_server").asText());
    assertEquals(300, name.get("ttl").asInt());
    assertTrue(r.err().contains("bottrace: no GeoIP database (enrichment.geoip): servers get no country\n"));
    // without irc_cmd.log: the port alone, and said so
    Run z = Run.of("replay", TestFiles.data("devsim/zeek").toString());
    JsonNode p = server(Notices.parse(z.out()), "IRC::CCServer", "85.17.184.21");
    assertEquals("default port 6667 (PASS not visible without bottrace's irc_cmd.log: port evidence alone)",
        p.get("open_irc_server").get("why").asText());
    // the download server and the DNS server that answered the bots
    assertEquals("download", server(n, "Bot::Download", "47.94.117.203").get("role").asText());
    assertEquals("dns", server(n, "DNS::CCResolution", "9.9.9.9").get("role").asText());
  }

  @Test
  void scenario_endUserBulletproofCountryAndConflicts() throws Exception {
    double t0 = 1_790_000_000;
    Path z = dir.resolve("zeek");
    ZeekLog conn = ZeekLog.conn();
    conn.conn(t0 + 10, "CCc", "192.0.2.23", 49000, "81.2.69.160", 6667, "tcp", "irc", 30, 500, 900, "SF", "ShADadFf");
    conn.write(z);
    new ZeekLog("irc", "ts", "time", "uid", "string", "id.orig_h", "addr", "id.orig_p", "port", "id.resp_h", "addr",
        "id.resp_p", "port", "nick", "string", "user", "string", "command", "string", "value", "string", "addl",
        "string")
        .row(ts(t0 + 10), "CCc", "192.0.2.23", 49000, "81.2.69.160", 6667, null, null, "NICK", "x", null)
        .write(z);
    new ZeekLog("http", "ts", "time", "uid", "string", "id.orig_h", "addr", "id.orig_p", "port", "id.resp_h", "addr",
        "id.resp_p", "port", "method", "string", "host", "string", "uri", "string", "user_agent", "string",
        "request_body_len", "count", "response_body_len", "count", "status_code", "count", "resp_fuids",
        "vector[string]", "resp_mime_types", "vector[string]")
        .row(ts(t0 + 20), "CDl", "192.0.2.23", 49500, "2.125.160.218", 80, "GET", "2.125.160.218", "/x.exe", "x", 0,
            70000, 200, "F1", "application/x-dosexec")
        .write(z);
    new ZeekLog("dns", "ts", "time", "uid", "string", "id.orig_h", "addr", "id.orig_p", "port", "id.resp_h", "addr",
        "id.resp_p", "port", "proto", "enum", "trans_id", "count", "query", "string", "qtype_name", "string",
        "rcode_name", "string", "answers", "vector[string]", "TTLs", "vector[interval]")
        .row(ts(t0 + 1), "CD1", "192.0.2.2", 5353, "192.0.2.53", 53, "udp", 1, "218.160.125.2.in-addr.arpa", "PTR",
            "NOERROR", "dsl-2-125-160-218.dyn.example.net", "3600.000000")
        .row(ts(t0 + 2), "CD2", "192.0.2.2", 5354, "192.0.2.53", 53, "udp", 2, "160.69.2.81.in-addr.arpa", "PTR",
            "NXDOMAIN", null, null)
        .write(z);
    Path bp = dir.resolve("bulletproof.txt");
    Files.writeString(bp, "81.2.69.160/27\n");
    Path cc = dir.resolve("cc.txt");
    Files.writeString(cc, "81.2.69.160\n");
    Path cfg = dir.resolve("bottrace.yaml");
    Files.writeString(cfg, String.format(Locale.ROOT, """
        enrichment:
          geoip: %s
          lists:
            - {name: bp, path: %s, role: bulletproof}
        detectors:
          Intel::Listed:
            lists:
              - {name: cc, path: %s, role: cc}
        """, TestFiles.data("maxmind/GeoLite2-Country-Test.mmdb"), bp, cc));
    Run r = Run.of("replay", "--config", cfg.toString(), z.toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> n = Notices.parse(r.out());
    JsonNode c2 = server(n, "Intel::Listed", "81.2.69.160");
    assertEquals("GB", c2.get("country").asText());
    assertTrue(c2.get("country_source").asText().startsWith("GeoLite2-Country built "), c2.toString());
    assertEquals("bulletproof_or_unmanaged", c2.get("class").asText());
    assertEquals("bp", c2.get("lists").get(0).get("list").asText());
    assertEquals(java.nio.file.Files.getLastModifiedTime(bp).toInstant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS)
        .toString(), c2.get("lists").get(0).get("version").asText(), "the list's version: its file's time");
    assertEquals(0, c2.get("s25r").get("rule").asInt(), "the NXDOMAIN answer to its PTR query");
    assertEquals(List.of("end_user: S25R rule 0: no PTR record (NXDOMAIN seen)"), Notices.strings(c2.get("conflicts")),
        "the end-user sign is shown, not hidden");
    assertEquals("no: complaints are ignored", c2.get("traceable").asText());
    JsonNode dl = server(n, "Bot::Download", "2.125.160.218");
    assertEquals("end_user", dl.get("class").asText());
    assertEquals(1, dl.get("s25r").get("rule").asInt());
    assertEquals("dsl-2-125-160-218.dyn.example.net", dl.get("ptr").asText());
    assertEquals("GB", dl.get("country").asText());
    assertTrue(!r.err().contains("GeoIP"), "a database is configured: " + r.err());
  }

  @Test
  void badGeoipIsExit2() throws Exception {
    Path cfg = dir.resolve("bottrace.yaml");
    Files.writeString(cfg, "enrichment:\n  geoip: nope.mmdb\n");
    Run r = Run.of("check", "--config", cfg.toString());
    assertEquals(2, r.code());
    assertEquals("bottrace: " + cfg + ": key 'enrichment.geoip': no such file: " + dir.resolve("nope.mmdb") + "\n",
        r.err());
  }

  private static String ts(double t) {
    return String.format(Locale.ROOT, "%.6f", t);
  }

  /**
   * The notices of one instant give a server one administrator class and one open-IRC verdict, whichever
   * is written first (the enrichment learns from a batch before it enriches it): devsim, where the
   * IRC::BotClient notices of an instant come before the IRC::CCServer notice that shows the server's port.
   */
  @Test
  void devsim_oneInstantOneClassPerServer() {
    Run r = Run.of("replay", "-q", TestFiles.data("devsim/zeek-package").toString(),
        TestFiles.data("devsim/suricata").toString());
    java.util.Map<String, String> seen = new java.util.HashMap<>();
    int compared = 0;
    for (JsonNode n : Notices.parse(r.out())) {
      for (JsonNode s : n.path("enrichment").path("servers")) {
        String key = n.get("ts").asText() + " " + s.get("ip").asText();
        String what = s.path("class").asText() + " " + s.path("open_irc_server").path("open").asText("-");
        String before = seen.putIfAbsent(key, what);
        if (before != null) {
          compared++;
          assertEquals(before, what, key + ": " + n);
        }
      }
    }
    assertTrue(compared >= 3, "notices of one instant naming one server: " + compared);
  }
}
