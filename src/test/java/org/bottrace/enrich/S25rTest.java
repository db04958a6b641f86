package org.bottrace.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** S25R: names that match each rule (the first that matches is reported), and server names that match none. */
class S25rTest {
  private final S25r s25r = new S25r(List.of("\\.google\\.com$"));

  @ParameterizedTest(name = "{0}: rule {1}")
  @CsvSource({
      // the PTR names of bottrace_devsim's people and bots (imitating real ISPs' naming)
      "84-104-213-17.cable.dynamic.v4.ziggo.nl, 1",
      "ip5b40c1de.dynamic.kabel-deutschland.de, 1",
      "p57a19a2b.dip0.t-ipconnect.de, 1",
      "bras-base-toroon0964w-grc-11-70-48-22-91.dsl.bell.ca, 1",
      "abts-kk-dynamic-012.105.171.122.airtelbroadband.in, 3",
      // one per rule
      "ae050181.dynamic.ppp.asahi-net.or.jp, 2",
      "softbank220056200073.bbtec.net, 2",
      "user2.ds1-3.isp.example, 4",
      "pc1.a2.isp.example.com, 5",
      "dhcp123.example.com, 6",
      "ppp7.example.net, 6",
      "adsl3.example.org, 6",
      "P57A19A2B.DIP0.T-IPCONNECT.DE., 1"})
  void endUserNames(String name, int rule) {
    S25r.Verdict v = s25r.test(name, false, false);
    assertEquals(rule, v.rule(), v.why());
    assertEquals("end_user", v.state());
    assertTrue(v.why().startsWith("rule " + rule + " "), v.why());
  }

  @ParameterizedTest
  @ValueSource(strings = {"mail.example.com", "www.example.org", "ns1.example.net", "mx01.mail.example.org",
      "smtp.gmail.com", "web-01.example.com", "a.root-servers.net", "irc.polder-net.example",
      "server1.hosting.example.com", "ec2.amazonaws.com"})
  void serverNamesMatchNoRule(String name) {
    S25r.Verdict v = s25r.test(name, false, false);
    assertEquals(-1, v.rule(), v.why());
    assertEquals("not_end_user", v.state());
  }

  @Test
  void rule0_needsEvidence() {
    assertEquals("unknown", s25r.test(null, false, false).state(), "no PTR seen is not rule 0");
    assertEquals(0, s25r.test(null, true, false).rule(), "an NXDOMAIN answer to the PTR query is");
    assertEquals(0, s25r.test("mail.example.com", false, true).rule(), "so is a PTR that does not resolve back");
  }

  @Test
  void whitelistFirst() {
    S25r.Verdict v = s25r.test("rate-limited-proxy-66-249-83-2.google.com", false, false);
    assertEquals("whitelisted", v.state());
    assertEquals(-1, v.rule());
    assertEquals(1, new S25r(List.of()).test("rate-limited-proxy-66-249-83-2.google.com", false, false).rule());
  }

  @Test
  void hostileNamesAreCut() {
    String longName = "a1".repeat(5000) + ".example.com";
    S25r.Verdict v = s25r.test(longName, false, false);
    assertEquals(S25r.MAX_NAME, v.name().length());
    assertEquals("end_user", v.state()); // a1a1... : rule 1
    String dots = "1.".repeat(2000) + "x";
    assertEquals(S25r.MAX_NAME, s25r.test(dots, false, false).name().length());
  }

  @Test
  void badWhitelistNamesTheExpression() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new S25r(List.of("(unclosed")));
    assertTrue(e.getMessage().startsWith("not a regular expression: '(unclosed'"), e.getMessage());
  }
}
