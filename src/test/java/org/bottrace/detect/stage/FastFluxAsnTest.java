package org.bottrace.detect.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.bottrace.ZeekLog;
import org.bottrace.enrich.GeoAsn;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operators behind a name's answers (MaxMind's GeoLite2-ASN test database): a flux network's
 * addresses are in many autonomous systems, one company's many networks are in one, however end-user
 * its PTR names look.
 */
class FastFluxAsnTest {
  @TempDir
  Path dir;

  static final Path ASN = TestFiles.data("maxmind/GeoLite2-ASN-Test.mmdb");

  /** Addresses of the test database in eleven autonomous systems, one /16 each. */
  static final List<String> MANY_OPERATORS = List.of("1.128.3.9", "12.81.92.10", "15.1.7.11", "18.4.7.12",
      "23.33.7.13", "27.193.7.14", "31.65.7.15", "31.225.7.16", "35.6.7.17", "36.193.7.18", "38.9.7.19", "16.2.7.20");

  /** Twelve /16 networks of one operator (AS71): a large company's or a cloud's address space. */
  static final List<String> ONE_OPERATOR = List.of("15.10.1.1", "15.11.1.2", "15.12.1.3", "15.13.1.4", "15.14.1.5",
      "15.15.1.6", "16.10.1.7", "16.11.1.8", "16.12.1.9", "16.13.1.10", "16.14.1.11", "16.15.1.12");

  @Test
  void asnDatabase_namesTheOperator() throws Exception {
    try (GeoAsn a = GeoAsn.open(ASN)) {
      assertEquals(new GeoAsn.Asn(1221, "Telstra Pty Ltd"), a.lookup("1.128.0.1"));
      assertEquals(7018, a.lookup("12.81.92.5").number());
      assertEquals(null, a.lookup("10.0.0.1"));
      assertTrue(a.source().startsWith("GeoLite2-ASN built "), a.source());
    }
    assertThrows(IllegalArgumentException.class, () -> GeoAsn.open(TestFiles.data("maxmind/GeoLite2-Country-Test.mmdb")));
  }

  private Path logs() throws Exception {
    Path z = dir.resolve("zeek");
    ZeekLog dns = new ZeekLog("dns", "ts", "time", "uid", "string", "id.orig_h", "addr", "id.orig_p", "port",
        "id.resp_h", "addr", "id.resp_p", "port", "proto", "enum", "trans_id", "count", "query", "string",
        "qtype_name", "string", "rcode_name", "string", "answers", "vector[string]", "TTLs", "vector[interval]");
    long t0 = 1_795_300_000;
    for (int i = 0; i < 12; i++) {
      dns.row(t0 + i * 30 + ".000000", "CF" + i, "192.168.5.20", 40000 + i, "192.168.5.1", 53, "udp", 100 + i,
          "cdn.flux.example", "A", "NOERROR", MANY_OPERATORS.get(i), "60.000000");
      dns.row(t0 + i * 30 + ".500000", "CO" + i, "192.168.5.21", 41000 + i, "192.168.5.1", 53, "udp", 200 + i,
          "api.bigco.example", "A", "NOERROR", ONE_OPERATOR.get(i), "60.000000");
    }
    // a proxy reverse-resolves both names' addresses: all look like dynamic lines by their PTR names
    int k = 0;
    for (String a : concat(MANY_OPERATORS, ONE_OPERATOR)) {
      String[] o = a.split("\\.");
      dns.row(t0 + 500 + k + ".000000", "CP" + k, "192.168.5.90", 42000 + k, "192.168.5.1", 53, "udp", 300 + k,
          o[3] + "." + o[2] + "." + o[1] + "." + o[0] + ".in-addr.arpa", "PTR", "NOERROR",
          "host-" + String.join("-", o) + ".dynamic.example", "3600.000000");
      k++;
    }
    dns.write(z);
    return z;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new java.util.ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  @Test
  void withTheOperators_oneCompanysManyNetworksAreNotFastFlux() throws Exception {
    Path z = logs();
    Run without = Run.of("replay", z.toString());
    assertEquals(0, without.code(), without.err());
    assertEquals(List.of("api.bigco.example", "cdn.flux.example"), Notices.of(Notices.parse(without.out()),
        "DNS::FastFlux").stream().map(x -> x.get("sub").asText()).sorted().toList(),
        "by /16 networks and PTR names alone both look like flux");
    Path cfg = Files.writeString(dir.resolve("asn.yaml"), "enrichment:\n  asn: " + ASN + "\n");
    Run with = Run.of("replay", "--config", cfg.toString(), z.toString());
    assertEquals(0, with.code(), with.err());
    List<JsonNode> flux = Notices.of(Notices.parse(with.out()), "DNS::FastFlux");
    assertEquals(List.of("cdn.flux.example"), flux.stream().map(x -> x.get("sub").asText()).toList());
    assertEquals(11, flux.get(0).get("evidence").get("asns").size(), flux.get(0).toString());
  }

  @Test
  void aServerInANotice_getsItsOperator() throws Exception {
    Path z = dir.resolve("zeek");
    ZeekLog.conn().conn(1_795_300_000, "CC1", "192.168.5.20", 40000, "1.128.0.1", 6667, "tcp", null, 30, 100, 900, "SF",
        "ShADadFf").write(z);
    Path list = Files.writeString(dir.resolve("cc.txt"), "1.128.0.1\n");
    Path cfg = Files.writeString(dir.resolve("asn.yaml"), "enrichment:\n  asn: " + ASN + "\n"
        + "detectors:\n  Intel::Listed:\n    lists:\n      - {name: cc, path: " + list + ", role: cc}\n");
    Run r = Run.of("replay", "--config", cfg.toString(), z.toString());
    assertEquals(0, r.code(), r.err());
    JsonNode server = org.bottrace.enrich.EnrichmentTestAccess.server(Notices.parse(r.out()), "Intel::Listed", "1.128.0.1");
    assertEquals(1221, server.get("asn").get("number").asInt(), server.toString());
    assertEquals("Telstra Pty Ltd", server.get("asn").get("organization").asText());
  }

  @Test
  void aCountryDatabaseGivenAsTheAsnOne_isAConfigurationError() throws Exception {
    Path cfg = Files.writeString(dir.resolve("bad.yaml"), "enrichment:\n  asn: "
        + TestFiles.data("maxmind/GeoLite2-Country-Test.mmdb") + "\n");
    Run r = Run.of("check", "--config", cfg.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("bottrace: " + cfg + ": key 'enrichment.asn': not a MaxMind ASN database: "), r.err());
  }
}
