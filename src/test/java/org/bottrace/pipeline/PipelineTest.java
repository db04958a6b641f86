package org.bottrace.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Suppression, allowlist, lateness and Intel::Listed, through the command line. */
class PipelineTest {
  static final String HEAD = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n"
      + "#path\tconn\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration\n"
      + "#types\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tinterval\n";

  @TempDir
  Path dir;
  Path config;

  @BeforeEach
  void config() throws Exception {
    config = dir.resolve("bottrace.yaml");
    Files.writeString(config, "home_networks: [10.0.0.0/8]\nallowlist:\n  hosts: [10.0.0.99]\n  domains: [example.org]\n"
        + "detectors:\n  Intel::Listed:\n    lists:\n"
        + "      - {name: compromised, path: " + TestFiles.data("intel/compromised-ips.txt") + ", role: compromised}\n"
        + "      - {name: cobaltstrike, path: " + TestFiles.data("intel/cps_cobaltstrike_domain.txt") + ", role: cc}\n"
        + "      - {name: ours, path: " + dir.resolve("ours.txt") + "}\n");
    Files.writeString(dir.resolve("ours.txt"), "# our own\nexample.org\n10.20.0.0/16 ; lab net\n");
  }

  private static String row(double ts, String uid, String orig, String resp, int port) {
    return String.format(java.util.Locale.ROOT, "%.6f\t%s\t%s\t40000\t%s\t%d\ttcp\t-\t1.000000%n", ts, uid, orig, resp,
        port);
  }

  @Test
  void suppression_onceAnHourThenWithTheCountOfWhatWasSuppressed() throws Exception {
    Path conn = dir.resolve("conn.log");
    Files.writeString(conn, HEAD + row(1000, "C1", "10.0.0.5", "101.100.216.61", 443)
        + row(1100, "C2", "10.0.0.5", "101.100.216.61", 443) + row(2000, "C3", "10.0.0.5", "101.100.216.61", 8080)
        + row(1000 + 3700, "C4", "10.0.0.5", "101.100.216.61", 443) + row(4800, "C5", "10.0.0.99", "101.100.216.61", 443));
    Path stats = dir.resolve("stats.json");
    Run r = Run.of("replay", "--config", config.toString(), "--stats", stats.toString(), conn.toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> n = Notices.parse(r.out());
    assertEquals(2, n.size(), r.out());
    assertEquals("C1", n.get(0).get("uid").asText());
    assertEquals(0, n.get(0).get("suppressed").asInt());
    assertEquals("10.0.0.5 contacted 101.100.216.61, which is on list compromised (101.100.216.61)",
        n.get(0).get("msg").asText());
    assertEquals("compromised", n.get(0).get("evidence").get("role").asText());
    assertEquals("C4", n.get(1).get("uid").asText());
    assertEquals(2, n.get(1).get("suppressed").asInt());
    JsonNode s = new ObjectMapper().readTree(stats.toFile());
    assertEquals(2, s.get("suppressed").asInt());
    assertEquals(1, s.get("allowlisted").get("Intel::Listed").asInt());
  }

  @Test
  void intel_networkEntryAndSubdomainMatch_allowlistedDomainDropped() throws Exception {
    Path dns = dir.resolve("dns.log");
    Files.writeString(dns, "{\"ts\":10.5,\"uid\":\"Cd\",\"id.orig_h\":\"10.0.0.7\",\"id.orig_p\":5353,\"id.resp_h\":"
        + "\"10.0.0.1\",\"id.resp_p\":53,\"proto\":\"udp\",\"query\":\"cdn.1302768123-l3a4w496qm.ap-shanghai.tencentscf.com\"}\n"
        + "{\"ts\":11.5,\"uid\":\"Ce\",\"id.orig_h\":\"10.0.0.7\",\"id.orig_p\":5353,\"id.resp_h\":\"10.0.0.1\","
        + "\"id.resp_p\":53,\"proto\":\"udp\",\"query\":\"www.example.org\"}\n"
        + "{\"ts\":12.5,\"uid\":\"Cf\",\"id.orig_h\":\"10.0.0.7\",\"id.orig_p\":5353,\"id.resp_h\":\"10.20.3.4\","
        + "\"id.resp_p\":53,\"proto\":\"udp\",\"query\":\"x.test\"}\n");
    Run r = Run.of("replay", "--config", config.toString(), dns.toString());
    List<JsonNode> n = Notices.of(Notices.parse(r.out()), "Intel::Listed");
    assertEquals(2, n.size(), r.out());
    assertEquals("10.0.0.7: DNS query cdn.1302768123-l3a4w496qm.ap-shanghai.tencentscf.com is on list cobaltstrike "
        + "(1302768123-l3a4w496qm.ap-shanghai.tencentscf.com)", n.get(0).get("msg").asText());
    assertEquals("10.0.0.7 contacted 10.20.3.4, which is on list ours (10.20.0.0/16)", n.get(1).get("msg").asText());
    assertTrue(r.err().contains("1 allowlisted"), r.err());
  }

  @Test
  void lateness_recordsOlderThanTheBoundAreCountedAndStillUsed() throws Exception {
    Path a = dir.resolve("a.conn.log");
    Path b = dir.resolve("b.conn.log");
    // b's second row was written 10 minutes after the first, but is 20 minutes older: late by 15 minutes
    Files.writeString(a, HEAD + row(0, "A0", "10.1.1.1", "10.2.2.2", 80) + row(1800, "A1", "10.1.1.1", "10.2.2.2", 80));
    Files.writeString(b, HEAD + row(1200, "B0", "10.1.1.1", "10.2.2.2", 80)
        + row(0 + 1200 - 1200 + 10, "B1", "10.0.0.5", "101.100.216.61", 443));
    Path stats = dir.resolve("stats.json");
    Run r = Run.of("replay", "--config", config.toString(), "--stats", stats.toString(), a.toString(), b.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(1, new ObjectMapper().readTree(stats.toFile()).get("late").asInt());
    assertEquals("B1", Notices.parse(r.out()).get(0).get("uid").asText(), "a late record still reaches the detectors");
  }
}
