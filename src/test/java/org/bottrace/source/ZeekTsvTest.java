package org.bottrace.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.bottrace.event.ConnEvent;
import org.bottrace.event.DnsEvent;
import org.bottrace.event.FlowKey;
import org.bottrace.event.IrcEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ZeekTsvTest {
  static final String HEAD = "#separator \\x09\n#set_separator\t,\n#empty_field\t(empty)\n#unset_field\t-\n";
  static final String CONN_FIELDS = "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto\tservice\tduration"
      + "\torig_bytes\tresp_bytes\tconn_state\tlocal_orig\tlocal_resp\tmissed_bytes\thistory\torig_pkts\torig_ip_bytes"
      + "\tresp_pkts\tresp_ip_bytes\ttunnel_parents\n";
  static final String CONN_ROW = "1795309823.490125\tCmkZGd72OPFUSQml8\t85.17.184.21\t40327\t84.104.213.17\t113\ttcp\t-"
      + "\t0.000753\t14\t37\tRSTO\tF\tF\t0\tShADadR\t5\t282\t3\t201\t-\n";

  @Test
  void conn_fieldsByNameFromHeader() throws Exception {
    ConnEvent c = Read.text("x.log", HEAD + "#path\tconn\n" + CONN_FIELDS + CONN_ROW).only(ConnEvent.class);
    assertEquals(1795309823490125L, c.ts());
    assertEquals(new FlowKey("85.17.184.21", 40327, "84.104.213.17", 113, "tcp"), c.flow());
    assertNull(c.service());
    assertEquals(753L, c.duration());
    assertEquals(1795309823490125L + 753L, c.availableAt());
    assertEquals("RSTO", c.connState());
    assertEquals(Boolean.FALSE, c.localOrig());
    assertEquals(5, c.origPkts());
  }

  @Test
  void header_separatorEscapedAndMultiCharSets() throws Exception {
    String log = "#separator \\x7c\n#set_separator|;\n#empty_field|EMPTY\n#unset_field|NONE\n#path|dns\n"
        + "#fields|ts|uid|id.orig_h|id.orig_p|id.resp_h|id.resp_p|query|answers|TTLs\n"
        + "#types|time|string|addr|port|addr|port|string|vector[string]|vector[interval]\n"
        + "1.5|Cx|10.0.0.1|5353|10.0.0.2|53|a\\x7cb.example|1.2.3.4;5.6.7.8|60.0;30.5\n"
        + "2.5|Cy|10.0.0.1|5353|10.0.0.2|53|NONE|EMPTY|EMPTY\n";
    Read r = Read.text("d.log", log);
    DnsEvent d = (DnsEvent) r.events.get(0);
    assertEquals("a|b.example", d.query());
    assertEquals(List.of("1.2.3.4", "5.6.7.8"), d.answers());
    assertEquals(List.of(60_000_000L, 30_500_000L), d.ttls());
    DnsEvent d2 = (DnsEvent) r.events.get(1);
    assertNull(d2.query());
    assertEquals(List.of(), d2.answers());
  }

  @Test
  void escapes_decodedAsUtf8Bytes() throws Exception {
    String log = HEAD + "#path\tirc\n#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tnick\tcommand\tvalue\n"
        + "1.0\tC1\t10.0.0.1\t1\t10.0.0.2\t6667\tn\\xe2\\x82\\xacro\tJOIN\t#a\\x09b\\\\c\n";
    IrcEvent e = Read.text("irc.log", log).only(IrcEvent.class);
    assertEquals("n\u20acro", e.nick());
    assertEquals("#a\tb\\c", e.value());
  }

  @Test
  void extraAndMissingColumns_nodeNameFirstAndLabelsLast() throws Exception {
    String log = HEAD + "#path\tconn\n#fields\t_node_name\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto"
        + "\tlabel\tdetailedlabel\n#types\tstring\ttime\tstring\taddr\tport\taddr\tport\tenum\tstring\tstring\n"
        + "worker-1-1\t1713484800.000001\tCa\t64.225.56.201\t22\t45.1.2.3\t51000\ttcp\tMalicious\tScan\n";
    ConnEvent c = Read.text("conn.log", log).only(ConnEvent.class);
    assertEquals("64.225.56.201", c.flow().origH());
    assertEquals(-1, c.origBytes());
    assertNull(c.connState());
  }

  @Test
  void newHeaderMidFile_isObeyed() throws Exception {
    String log = HEAD + "#path\tconn\n" + CONN_FIELDS + CONN_ROW + "#close\t2026-11-22-01-15-53\n"
        + HEAD + "#path\tconn\n#fields\tuid\tts\tid.resp_h\tid.resp_p\tid.orig_h\tid.orig_p\tproto\n"
        + "Cz\t7.0\t10.9.9.9\t80\t10.1.1.1\t4444\tudp\n";
    Read r = Read.text("conn.log", log);
    assertEquals(2, r.events.size());
    assertEquals(new FlowKey("10.1.1.1", 4444, "10.9.9.9", 80, "udp"), r.events.get(1).flow());
    assertEquals(0, r.malformed);
  }

  @Test
  void strayBlankBeforeSeparatorLine_isAHeader() throws Exception {
    Read r = Read.text("conn.log", "\t" + HEAD + "#path\tconn\n" + CONN_FIELDS + CONN_ROW);
    assertEquals(1, r.events.size());
    assertEquals(1, r.records);
  }

  @Test
  void malformedLines_countedReportedSkipped() throws Exception {
    String log = HEAD + "#path\tconn\n" + CONN_FIELDS + CONN_ROW + "1795309823.5\tCtrunc\t85.17.184.21\n"
        + CONN_ROW.replace("1795309823.490125", "XXXXXXXXXX.XXXXXX") + CONN_ROW;
    Read r = Read.text("conn.log", log);
    assertEquals(2, r.events.size());
    assertEquals(4, r.records);
    assertEquals(2, r.malformed);
    assertEquals("bottrace: conn.log:8: skipped malformed line: only 3 of the 21 fields of the #fields header",
        r.messages.get(0));
    assertEquals("bottrace: conn.log: skipped 1 more malformed line", r.messages.get(1));
  }

  @Test
  void dataBeforeHeader_isMalformed() throws Exception {
    Read r = Read.text("conn.log", CONN_ROW);
    assertEquals(1, r.malformed);
    assertTrue(r.messages.get(0).endsWith("data line before any #fields header"), r.messages.toString());
  }

  @Test
  void gzipAndKindFromRotatedName_withoutPathLine(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
      gz.write((HEAD + CONN_FIELDS + CONN_ROW).getBytes(StandardCharsets.UTF_8));
    }
    Path f = dir.resolve("conn.12:00:00-13:00:00.log.gz");
    Files.write(f, bytes.toByteArray());
    Read r = Read.file(f);
    assertEquals("conn", r.kind);
    assertEquals(1, r.events.size());
  }

  @Test
  void kindFromFileName_forms() {
    assertEquals("conn", ZeekKinds.kindFromFileName("conn.log"));
    assertEquals("conn", ZeekKinds.kindFromFileName("conn.00-00-00-01-00-00.log.gz"));
    assertEquals("conn", ZeekKinds.kindFromFileName("conn.log.labeled"));
    assertEquals("conn", ZeekKinds.kindFromFileName("labeled-conn.log"));
    assertEquals("irc", ZeekKinds.kindFromFileName("irc-json.log"));
    assertNull(ZeekKinds.kindFromFileName("eve.json"));
  }
}
