package org.bottrace.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.bottrace.TestFiles;
import org.junit.jupiter.api.Test;

/** Every list format on real samples (ET, Zeek Intel) or fixtures of the real shape (DROP, MDL, Feodo). */
class ListFormatsTest {
  static Path data(String p) {
    return TestFiles.data("threatintel/" + p);
  }

  static Path fixture(String p) {
    return TestFiles.resource("fixtures/threatintel/" + p);
  }

  @Test
  void etRules_theIpListsInTheRuleHeaders() throws Exception {
    PlainList l = PlainList.load("botcc", data("et/emerging-botcc.head20.rules"), "et_rules");
    assertEquals(110, l.ips().size(), "the distinct addresses of 20 rules (TCP and UDP rules share lists)");
    assertEquals(0, l.skippedCount());
    String label = l.ips().lookup("104.131.36.154");
    assertTrue(label.startsWith("sid 2404000 ET CNC Shadowserver Reported CnC Server"), label);
    assertNull(l.ips().lookup("8.8.8.8"));
  }

  @Test
  void zeekIntel_addressesAndDomainsWithTheirSource() throws Exception {
    PlainList ips = PlainList.load("cps", data("zeek_intel/compromised-ips.intel"), "zeek_intel");
    assertEquals(539, ips.ips().size());
    PlainList doms = PlainList.load("drb", data("zeek_intel/drb_ra_domain.intel"), "zeek_intel");
    assertEquals(61, doms.domains().size());
    assertEquals("DRB-RA C2", doms.domains().lookup("at1.227api.com"));
    assertEquals("DRB-RA C2", doms.domains().lookup("x.at1.227api.com"), "a subdomain matches");
    PlainList urls = PlainList.load("phish", data("zeek_intel/openphish.intel"), "zeek_intel");
    assertEquals(0, urls.size(), "URL indicators cannot match a flow or a name, and are not errors");
    assertEquals(0, urls.skippedCount());
  }

  @Test
  void spamhausAsnDrop_networkOperatorsWithTheirNames(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
    PlainList l = PlainList.load("asn-drop", fixture("asn_drop.json"), "spamhaus_asn_drop");
    assertEquals(1, l.size(), "one AS; the metadata line is not an entry");
    assertEquals(0, l.skippedCount());
    assertEquals("AS3 TEST-ENTRY test.example US", l.asns().get(3L));
    assertEquals(java.util.List.of("AS3"), l.entries());
    Path plain = dir.resolve("asns.txt");
    java.nio.file.Files.writeString(plain, "AS64500 # a documentation AS\nas64511\nAS99999999999\n192.0.2.0/24\n");
    PlainList p = PlainList.load("mine", plain, "plain");
    assertEquals(java.util.Set.of(64500L, 64511L), p.asns().keySet());
    assertEquals(1, p.ips().size());
    assertNull(p.asns().get(99999999999L), "beyond 32 bits: not an AS number");
  }

  @Test
  void spamhausDrop_cidrsWithTheirSbl() throws Exception {
    PlainList l = PlainList.load("drop", fixture("drop.txt"), "spamhaus_drop");
    assertEquals(3, l.ips().size());
    assertEquals("198.51.100.128/26 SBL000002", l.ips().lookup("198.51.100.130"));
    assertNull(l.ips().lookup("198.51.100.127"));
  }

  @Test
  void mdlCsv_hostsOfUrlsAndAddresses() throws Exception {
    PlainList l = PlainList.load("mdl", fixture("mdl.csv"), "mdl_csv");
    assertEquals("MDL 2010/01/05_12:00 trojan downloader", l.domains().lookup("bad.example.com"));
    assertEquals("MDL 2010/01/05_12:00 trojan downloader", l.ips().lookup("198.51.100.20"));
    assertEquals("MDL 2011/07/19_08:00 Java exploit", l.ips().lookup("203.0.113.30"), "host:port/path");
    assertEquals("MDL 2009/03/22_00:00 Trojan", l.ips().lookup("192.0.2.10"));
  }

  @Test
  void feodoCsv_c2WithMalwareAndStatus() throws Exception {
    PlainList l = PlainList.load("feodo", fixture("feodo.csv"), "feodo_csv");
    assertEquals(2, l.ips().size());
    assertEquals("Pikabot C2 port 1194, online, first seen 2026-05-23 17:51:44, last online 2026-09-20",
        l.ips().lookup("192.0.2.73"));
    assertEquals(0, l.skippedCount(), "the header row and comments are not entries");
  }

  @Test
  void unknownFormat() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PlainList.load("x", fixture("drop.txt"), "stix"));
    assertTrue(e.getMessage().startsWith("unknown list format 'stix'; known: [plain, spamhaus_drop"), e.getMessage());
  }

  @Test
  void csvQuotes() {
    assertEquals(java.util.List.of("a", "b,c", "d\"e", ""), PlainList.csv("\"a\",\"b,c\",\"d\"\"e\","));
  }
}
