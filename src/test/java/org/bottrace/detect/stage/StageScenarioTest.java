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
  void devsim_theScannerAndTheTwoDownloaders(String zeek, boolean eve) {
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
  }

  private static String ts(double t) {
    return String.format(Locale.ROOT, "%.6f", t);
  }

  /** The scenario as Zeek TSV logs. */
  private Path zeekScenario() throws Exception {
    double t0 = 1_790_000_000;
    Path z = dir.resolve("zeek");
    ZeekLog irc = new ZeekLog("irc", "ts", "time", "uid", "string", "id.orig_h", "addr", "id.orig_p", "port",
        "id.resp_h", "addr", "id.resp_p", "port", "nick", "string", "user", "string", "command", "string", "value",
        "string", "addl", "string");
    for (String[] b : new String[][] {{"192.0.2.23", "CBot1"}, {"192.0.2.24", "CBot2"}}) {
      irc.row(ts(t0), b[1], b[0], 49000, "203.0.113.66", 6667, null, null, "NICK", "[USA|XP]" + b[1], null);
      irc.row(ts(t0 + 1), b[1], b[0], 49000, "203.0.113.66", 6667, "[USA|XP]" + b[1], "u", "JOIN", "#x", "");
    }
    irc.write(z);
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
    conn.write(z);
    ZeekLog http = new ZeekLog("http", "ts", "time", "uid", "string", "id.orig_h", "addr", "id.orig_p", "port",
        "id.resp_h", "addr", "id.resp_p", "port", "method", "string", "host", "string", "uri", "string", "user_agent",
        "string", "request_body_len", "count", "response_body_len", "count", "status_code", "count", "resp_fuids",
        "vector[string]", "resp_mime_types", "vector[string]");
    http.row(ts(t0 + 120), "CDown", "192.0.2.23", 49500, "198.51.100.9", 80, "GET", "198.51.100.9", "/x.exe",
        "Mozilla/4.0 (compatible; MSIE 6.0)", 0, 73728, 200, "FDown1", "application/x-dosexec");
    // look-alike: a software update from the vendor's named host, no IRC on that host
    http.row(ts(t0 + 150), "CUpd", "192.0.2.50", 51000, "198.51.100.80", 80, "GET", "download.vendor.example",
        "/updates/setup.exe", "VendorUpdater/3.1", 0, 4_194_304, 200, "FUpd1", "application/x-dosexec");
    http.write(z);
    ZeekLog files = new ZeekLog("files", "ts", "time", "fuid", "string", "uid", "string", "id.orig_h", "addr",
        "id.orig_p", "port", "id.resp_h", "addr", "id.resp_p", "port", "source", "string", "mime_type", "string",
        "filename", "string", "seen_bytes", "count", "total_bytes", "count");
    files.row(ts(t0 + 120.2), "FDown1", "CDown", "192.0.2.23", 49500, "198.51.100.9", 80, "HTTP",
        "application/x-dosexec", null, 73728, 73728);
    files.row(ts(t0 + 151), "FUpd1", "CUpd", "192.0.2.50", 51000, "198.51.100.80", 80, "HTTP",
        "application/x-dosexec", "setup.exe", 4_194_304, 4_194_304);
    files.write(z);
    return z;
  }

  @ParameterizedTest
  @ValueSource(strings = {"zeek"})
  void scenario_stagesFoundLookAlikesQuiet(String form) throws Exception {
    Path z = zeekScenario();
    Run r = Run.of("replay", z.toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> n = Notices.parse(r.out());
    assertEquals(Set.of("192.0.2.23"), who(n, "Scan::Propagation"), r.out());
    assertEquals(36, Notices.of(n, "Scan::Propagation").get(0).get("evidence").get("failed_or_unanswered").asInt());
    assertEquals(Set.of("192.0.2.23", "192.0.2.24"), who(n, "Bot::Download"), r.out());
    Set<String> signs = new TreeSet<>();
    for (JsonNode d : Notices.of(n, "Bot::Download")) {
      signs.addAll(Notices.strings(d.get("evidence").get("signs")));
    }
    assertEquals(Set.of("irc_session", "bare_ip_host", "tftp"), signs);
    assertEquals(true, Files.exists(z.resolve("conn.log")));
  }
}
