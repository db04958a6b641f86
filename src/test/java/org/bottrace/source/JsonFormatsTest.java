package org.bottrace.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bottrace.event.ConnEvent;
import org.bottrace.event.EveAlert;
import org.bottrace.event.EveDns;
import org.bottrace.event.EveFileinfo;
import org.bottrace.event.EveFlow;
import org.bottrace.event.EveFtp;
import org.bottrace.event.EveTftp;
import org.bottrace.event.FlowKey;
import org.bottrace.event.IrcEvent;
import org.bottrace.event.Micros;
import org.junit.jupiter.api.Test;

class JsonFormatsTest {
  @Test
  void zeekJson_isoTimestampsAndNestedIdAndPathFromFileName() throws Exception {
    String line = "{\"ts\":\"2018-03-24T17:15:20.865716Z\",\"uid\":\"Cq\",\"id\":{\"orig_h\":\"10.47.1.100\","
        + "\"orig_p\":41772,\"resp_h\":\"10.0.0.100\",\"resp_p\":6667},\"command\":\"NICK\",\"value\":\"zeektest\"}\n";
    IrcEvent e = Read.text("irc.log", line).only(IrcEvent.class);
    assertEquals(Micros.parseIso("2018-03-24T17:15:20.865716Z"), e.ts());
    assertEquals(6667, e.flow().respP());
    assertEquals("zeektest", e.value());
  }

  @Test
  void zeekJson_withoutPathOrKnownName_isMalformed() throws Exception {
    Read r = Read.text("mystery.json", "{\"ts\":1.0,\"uid\":\"C\"}\n");
    assertEquals(1, r.malformed);
  }

  @Test
  void zeekJson_relativeUnsortedTimes() throws Exception {
    String a = "{\"_path\":\"conn\",\"ts\":22.335172,\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.2\","
        + "\"id.resp_p\":2,\"proto\":\"tcp\",\"duration\":1.5}\n";
    Read r = Read.text("c.json", a + a.replace("22.335172", "3.000001"));
    assertEquals(22_335_172L, r.events.get(0).ts());
    assertEquals(22_335_172L + 1_500_000L, r.events.get(0).availableAt());
    assertEquals(3_000_001L, r.events.get(1).ts());
  }

  @Test
  void eveFlow_timesFromFlowStartAndEnd() throws Exception {
    String line = "{\"timestamp\":\"2026-11-22T01:10:23.485329+0000\",\"flow_id\":576515125217815,\"event_type\":"
        + "\"flow\",\"src_ip\":\"113.87.141.58\",\"src_port\":55601,\"dest_ip\":\"113.87.141.85\",\"dest_port\":445,"
        + "\"proto\":\"TCP\",\"flow\":{\"pkts_toserver\":1,\"pkts_toclient\":1,\"bytes_toserver\":74,\"bytes_toclient\":54,"
        + "\"start\":\"2026-11-22T01:13:22.003158+0000\",\"end\":\"2026-11-22T01:13:22.003174+0000\",\"age\":0,"
        + "\"state\":\"closed\",\"reason\":\"shutdown\",\"alerted\":false},\"tcp\":{\"tcp_flags\":\"16\",\"state\":\"closed\"}}";
    EveFlow f = Read.text("eve.json", line).only(EveFlow.class);
    assertEquals(Micros.parseIso("2026-11-22T01:13:22.003158Z"), f.ts());
    assertEquals(Micros.parseIso("2026-11-22T01:13:22.003174Z"), f.availableAt());
    assertEquals("576515125217815", f.ref());
    assertEquals("closed", f.state());
    assertEquals("16", f.tcpFlags());
  }

  @Test
  void eveDnsV3Response_resolverIsSrcAndFlowIsTurnedToClientFirst() throws Exception {
    // the Suricata 8 example from doc/userguide/upgrade/8.0-dns-logging-changes.rst, on a real 5-tuple
    String line = "{\"timestamp\":\"2025-01-01T00:00:00.000001+0000\",\"flow_id\":1,\"event_type\":\"dns\","
        + "\"src_ip\":\"9.9.9.9\",\"src_port\":53,\"dest_ip\":\"10.1.1.5\",\"dest_port\":53211,\"proto\":\"UDP\","
        + "\"dns\":{\"version\":3,\"type\":\"response\",\"tx_id\":1,\"id\":0,\"flags\":\"8180\",\"qr\":true,\"rd\":true,"
        + "\"ra\":true,\"opcode\":0,\"rcode\":\"NOERROR\",\"queries\":[{\"rrname\":\"www.suricata.io\",\"rrtype\":\"A\"}],"
        + "\"answers\":[{\"rrname\":\"www.suricata.io\",\"rrtype\":\"CNAME\",\"ttl\":3597,\"rdata\":\"suricata.io\"},"
        + "{\"rrname\":\"suricata.io\",\"rrtype\":\"A\",\"ttl\":597,\"rdata\":\"35.212.0.44\"}]}}";
    EveDns d = Read.text("eve.json", line).only(EveDns.class);
    assertFalse(d.query());
    assertEquals(3, d.version());
    assertEquals(new FlowKey("10.1.1.5", 53211, "9.9.9.9", 53, "udp"), d.flow());
    assertEquals("www.suricata.io", d.rrname());
    assertEquals(List.of(new EveDns.Answer("www.suricata.io", "CNAME", 3597, "suricata.io"),
        new EveDns.Answer("suricata.io", "A", 597, "35.212.0.44")), d.answers());
  }

  @Test
  void eveDnsV3Request_queriesArray() throws Exception {
    String line = "{\"timestamp\":\"2025-01-01T00:00:00+0000\",\"event_type\":\"dns\",\"src_ip\":\"10.1.1.5\","
        + "\"src_port\":53211,\"dest_ip\":\"9.9.9.9\",\"dest_port\":53,\"proto\":\"UDP\",\"dns\":{\"version\":3,"
        + "\"type\":\"request\",\"tx_id\":0,\"id\":0,\"flags\":\"100\",\"rd\":true,\"opcode\":0,\"rcode\":\"NOERROR\","
        + "\"queries\":[{\"rrname\":\"www.suricata.io\",\"rrtype\":\"A\"}]}}";
    EveDns d = Read.text("eve.json", line).only(EveDns.class);
    assertTrue(d.query());
    assertEquals("www.suricata.io", d.rrname());
    assertEquals("10.1.1.5", d.flow().origH());
    assertEquals(-1, d.flowId());
  }

  @Test
  void eveDnsV2Answer_clientStaysSrc_devsim() throws Exception {
    Read r = Read.file(org.bottrace.TestFiles.data("devsim/suricata/eve.json"));
    EveDns a = r.events.stream().filter(e -> e instanceof EveDns && !((EveDns) e).query()).map(e -> (EveDns) e)
        .findFirst().orElseThrow();
    assertEquals("85.17.184.21", a.flow().origH());
    assertEquals(List.of(new EveDns.Answer("84-104-213-17.cable.dynamic.v4.ziggo.nl", "A", 300, "84.104.213.17")),
        a.answers());
    assertEquals(377, r.records);
    assertEquals(0, r.malformed);
    // 195 alerts, 97 flows, 80 dns, 2 http, 2 fileinfo become events; the stats event does not
    assertEquals(376, r.events.size());
    assertEquals(195, r.events.stream().filter(e -> e instanceof EveAlert).count());
    assertEquals(97, r.events.stream().filter(e -> e instanceof EveFlow).count());
    assertEquals(2, r.events.stream().filter(e -> e instanceof EveFileinfo).count());
  }

  @Test
  void eveFtp_ircRepliesSurvive_arkime() throws Exception {
    Read r = Read.file(org.bottrace.TestFiles.data("suricata/arkime_irc/eve.json"));
    List<EveFtp> ftp = r.events.stream().filter(e -> e instanceof EveFtp).map(e -> (EveFtp) e).toList();
    assertEquals(10, ftp.size());
    assertEquals("USER", ftp.get(0).command());
    assertTrue(ftp.get(4).reply().get(0).startsWith(":card.freenode.net 001 molochtest :Welcome"));
  }

  @Test
  void eveTftp() throws Exception {
    Read r = Read.file(org.bottrace.TestFiles.data("suricata/sv_output-eve-tftp-01/eve.json"));
    EveTftp t = r.events.stream().filter(e -> e instanceof EveTftp).map(e -> (EveTftp) e).findFirst().orElseThrow();
    assertEquals("read", t.packet());
    assertEquals("rfc1350.txt", t.file());
    assertEquals(69, t.flow().respP());
  }

  @Test
  void eveIpv6_expandedAddressesCanonical() throws Exception {
    Read r = Read.file(org.bottrace.TestFiles.data("dcso/alertify_input.json"));
    assertEquals(3, r.records);
    assertEquals(0, r.malformed);
    assertNull(r.events.stream().filter(e -> e.flow() != null && e.flow().origH().contains(":0002:")).findAny()
        .orElse(null));
  }

  @Test
  void brokenJson_isMalformedAndNextLineRead() throws Exception {
    String good = "{\"ts\":1.0,\"uid\":\"C\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":1,\"id.resp_h\":\"10.0.0.2\","
        + "\"id.resp_p\":2,\"proto\":\"tcp\"}\n";
    Read r = Read.text("conn.log", "{\"ts\":1.0,\"uid\":\"C\",\"id.orig_h\":\"10.0\n" + good);
    assertEquals(1, r.malformed);
    assertEquals(1, r.events.size());
    assertTrue(r.events.get(0) instanceof ConnEvent);
  }
}
