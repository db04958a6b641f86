package org.bottrace.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bottrace report: golden reports for bottrace_devsim, and a server list whose numbers are checked by hand. */
class ReportTest {
  @TempDir
  Path dir;

  @Test
  void devsim_goldenTextAndJson() throws Exception {
    String[] logs = {"src/test/resources/data/devsim/zeek-package"}; // as a user gives it: the report says it
    Run text = Run.of("report", logs[0]);
    assertEquals(0, text.code(), text.err());
    assertEquals(Files.readString(TestFiles.resource("golden/devsim-report.txt")), text.out());
    Run json = Run.of("report", "--format", "json", logs[0]);
    assertEquals(Files.readString(TestFiles.resource("golden/devsim-report.json")), json.out());
  }

  @Test
  void theNoticeFileOfARunGivesTheSameReportAsTheReplay() throws Exception {
    String[] logs = {"src/test/resources/data/devsim/zeek-package"}; // as a user gives it: the report says it
    Path out = dir.resolve("notices.json");
    Path zeek = Files.createDirectories(dir.resolve("zeek"));
    for (String f : new String[] {"conn.log", "dns.log", "irc.log", "http.log", "files.log", "pe.log", "irc_cmd.log",
        "irc_pkt.log"}) {
      Files.copy(TestFiles.data("devsim/zeek-package/" + f), zeek.resolve(f));
    }
    Run run = Run.of("run", "--zeek-dir", zeek.toString(), "--from-start", "--stop-when-idle", "1s", "--out",
        out.toString());
    assertEquals(0, run.code(), run.err());
    Run fromRun = Run.of("report", "--notices", out.toString());
    assertEquals(0, fromRun.code(), fromRun.err());
    // the same report but for what it was made from: a run's notice file, the notices' time span
    String golden = Files.readString(TestFiles.resource("golden/devsim-report.txt"));
    assertEquals(withoutScope(golden), withoutScope(fromRun.out()));
    assertTrue(fromRun.out().contains("\n  from notice files of a run: " + out + "\n  log time 2026-11-22T"), fromRun.out());
    assertTrue(golden.contains("\n  from logs replayed: " + logs[0] + "\n  log time 2026-11-22T01:10:23.485329Z to"
        + " 2026-11-22T01:15:22.521562Z\n"), golden);
  }

  /** A report without its "from" and "log time" lines. */
  static String withoutScope(String report) {
    return report.lines().filter(l -> !l.startsWith("  from ") && !l.startsWith("  log time "))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  @Test
  void serverList_tablesByHand() throws Exception {
    Path servers = dir.resolve("servers.txt");
    Files.writeString(servers, """
        # ip  ptr  role
        192.0.2.1 dsl-1-2-3-4.dyn.example.net cc
        192.0.2.2 mail.example.com cc
        192.0.2.3 ppp3.example.net dns
        192.0.2.4 ns1.example.net dns
        """);
    Path control = dir.resolve("control.txt");
    Files.writeString(control, "198.51.100.1 www.shop.example\n198.51.100.2 host-2-3-4-5.example.com\n");
    Run r = Run.of("report", "--format", "json", "--servers", servers.toString(), "--control", control.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode m = new ObjectMapper().readTree(r.out());
    JsonNode cc = m.get("table1_s25r").get("cc");
    assertEquals(2, cc.get("ptr_known").asInt());
    assertEquals(1, cc.get("s25r_match").asInt(), "dsl-1-2-3-4 (rule 1); mail.example.com is not");
    assertEquals(0.5, cc.get("share").asDouble());
    assertEquals(0.5, cc.get("control_share").asDouble(), "host-2-3-4-5 matches rule 1 too");
    assertEquals(0.0, cc.get("excess").asDouble());
    assertEquals(0.5, m.get("table1_s25r").get("dns").get("share").asDouble(), "ppp3 (rule 6)");
    assertEquals(2, m.get("table4_classes").get("end_user").get("servers").asInt());
    assertEquals(2, m.get("table4_classes").get("unknown").get("servers").asInt());
    assertEquals(0.375, m.get("traceability").get("p_professional").asDouble(),
        "no professional among the 2 known: (0 + 0.45 * 10) / (2 + 10)");
    assertEquals(0.4, m.get("traceability").get("table").get(0).get("paper_p0.4").asDouble());
    assertEquals(0.016, m.get("traceability").get("table").get(5).get("paper_p0.5").asDouble());
  }

  /**
   * The administrator class from the network's registry when no PTR name tells: a server whose operator's
   * AS is on a bulletproof list (ASN-DROP's format), one on a Cellular line and one in a Corporate network
   * (MaxMind's test databases: GeoLite2-ASN and GeoIP2-Connection-Type).
   */
  @Test
  void serverList_classFromTheOperatorAndTheLine() throws Exception {
    Path cfg = dir.resolve("asn.yaml");
    Files.writeString(cfg, "enrichment:\n"
        + "  asn: " + TestFiles.data("maxmind/GeoLite2-ASN-Test.mmdb").toAbsolutePath() + "\n"
        + "  connection_type: " + TestFiles.data("maxmind/GeoIP2-Connection-Type-Test.mmdb").toAbsolutePath() + "\n"
        + "  lists:\n    - {name: asn-drop, path: " + TestFiles.resource("fixtures/threatintel/asn_drop.json").toAbsolutePath()
        + ", format: spamhaus_asn_drop, role: bulletproof}\n");
    Path servers = dir.resolve("servers.txt");
    Files.writeString(servers, "18.1.2.3\n1.0.1.5\n216.160.83.57\n");
    Run r = Run.of("report", "--format", "json", "--config", cfg.toString(), "--servers", servers.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode list = new ObjectMapper().readTree(r.out()).get("server_list");
    assertEquals(3, list.size(), r.out());
    assertEquals("bulletproof_or_unmanaged", list.get(0).get("class").asText(), "AS3 is on the list");
    assertEquals("end_user", list.get(1).get("class").asText(), "1.0.1.0/24 is a Cellular line");
    assertEquals("professional", list.get(2).get("class").asText(), "216.160.83.56/29 is Corporate");
    Run text = Run.of("report", "--config", cfg.toString(), "--servers", servers.toString());
    assertTrue(text.out().contains("\n  cc         bulletproof           1    0.333\n"), text.out());
    assertTrue(!text.out().contains("{") && !text.out().contains("["), "no raw collection in the text: " + text.out());
  }

  @Test
  void nothingToReportIsExit2() {
    Run r = Run.of("report");
    assertEquals(2, r.code());
    assertEquals("bottrace: command line: key 'PATH': nothing to report on: give logs to replay, --notices FILE or"
        + " --servers FILE\n", r.err());
  }
}
