package org.bottrace.source;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.bottrace.TestFiles;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every real log we may redistribute is read with the record counts shared/data/MANIFEST.md gives. */
class RealDataTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "devsim/zeek/conn.log, conn, 97, 0",
      "devsim/zeek/dns.log, dns, 40, 0",
      "devsim/zeek/irc.log, irc, 51, 0",
      "devsim/zeek/http.log, http, 2, 0",
      "devsim/zeek/files.log, files, 2, 0",
      "devsim/zeek/pe.log, pe, 2, 0",
      "devsim/zeek/analyzer.log, analyzer, 2, 0",
      "devsim/zeek-json/conn.log, conn, 97, 0",
      "devsim/zeek-json/irc.log, irc, 51, 0",
      "devsim/zeek-json/dns.log, dns, 40, 0",
      "devsim/suricata/eve.json, eve, 377, 0",
      "brimdata/zeek-default/notice.log.gz, notice, 207, 0",
      "brimdata/zeek-default/known_services.log.gz, known_services, 1579, 0",
      "brimdata/zeek-json/notice.json.gz, notice, 207, 0",
      "zeek/irc.log, irc, 4, 0",
      "zeek/conn.log, conn, 2, 0",
      "zeek/baselines/irc.starttls/x509.log, x509, 1, 0",
      "zeek/baselines/irc.longline/weird.log, weird, 3, 0",
      // btest canonicalises times to XXXXXXXXXX.XXXXXX, or drops the header: malformed on purpose
      "zeek/baselines/irc.basic/irc.log, irc, 4, 4",
      "zeek/baselines/irc.basic/conn.log, conn, 3, 3",
      "zeek/baselines/irc.starttls/conn.log, conn, 1, 1",
      "zeek/baselines/irc.starttls/ssl.log, ssl, 1, 1",
      "zeek/baselines/irc.malformed-dcc/weird.log, weird, 2, 2",
      "suricata/arkime_irc/eve.json, eve, 15, 0",
      "suricata/zeek_irc-basic/eve.json, eve, 18, 0",
      "suricata/zeek_irc-dcc-send/eve.json, eve, 12, 0",
      "suricata/zeek_irc-dcc-send-2011-undernet/eve.json, eve, 11, 0",
      "suricata/zeek_irc-more-commands/eve.json, eve, 11, 0",
      "suricata/zeek_irc-whitespace/eve.json, eve, 10, 0",
      "suricata/sv_dns_bug-1158/eve.json, eve, 164, 0",
      "suricata/sv_output-eve-tftp-01/eve.json, eve, 4, 0",
      "suricata/sv-fileinfo-expected-eve.json, eve, 1, 0",
      "dcso/jsonparse_eve.json, eve, 3, 0",
      "dcso/alertify_input.json, eve, 3, 0",
      // the logs of bottrace's Zeek package, written by real Zeek 8.0.10 from devsim's capture
      "devsim/zeek-package/irc_cmd.log, irc_cmd, 1584, 0",
      "devsim/zeek-package/irc_pkt.log, irc_pkt, 1063, 0",
      "devsim/zeek-package-json/irc_cmd.log, irc_cmd, 1584, 0",
  })
  void read_recordsAndMalformedAsExpected(String file, String kind, long records, long malformed) throws Exception {
    Read r = Read.file(file.startsWith("fixtures/") ? TestFiles.resource(file) : TestFiles.data(file));
    assertEquals(kind, r.kind);
    assertEquals(records, r.records);
    assertEquals(malformed, r.malformed, r.messages.toString());
  }
}
