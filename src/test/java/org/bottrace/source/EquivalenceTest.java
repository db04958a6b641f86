package org.bottrace.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.bottrace.TestFiles;
import org.bottrace.event.ConnEvent;
import org.bottrace.event.DnsEvent;
import org.bottrace.event.Event;
import org.bottrace.event.FileEvent;
import org.bottrace.event.HttpEvent;
import org.bottrace.event.IrcEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The TSV and JSON forms of the same Zeek log give equal records. */
class EquivalenceTest {
  @Test
  void brimdataDns_53615RecordsEqualInTsvAndJson() throws Exception {
    Read tsv = Read.file(TestFiles.data("brimdata/zeek-default/dns.log.gz"));
    Read json = Read.file(TestFiles.data("brimdata/zeek-json/dns.json.gz"));
    assertEquals(53_615, tsv.records);
    assertEquals(53_615, json.records);
    assertEquals(0, tsv.malformed + json.malformed);
    assertEquals(tsv.events.size(), json.events.size());
    for (int i = 0; i < tsv.events.size(); i++) {
      assertEquals(tsv.events.get(i), json.events.get(i), "record " + i);
    }
  }

  /** devsim's TSV and JSON come from two Zeek runs: the same rows, but uids differ. */
  @ParameterizedTest
  @ValueSource(strings = {"conn.log", "irc.log", "dns.log", "http.log", "files.log", "pe.log"})
  void devsim_sameRowsExceptUids(String log) throws Exception {
    Read tsv = Read.file(TestFiles.data("devsim/zeek/" + log));
    Read json = Read.file(TestFiles.data("devsim/zeek-json/" + log));
    assertEquals(0, tsv.malformed + json.malformed);
    assertEquals(tsv.records, json.records);
    assertEquals(sorted(tsv.events), sorted(json.events));
  }

  /**
   * The logs real Zeek 8.0.10 wrote with bottrace's package over devsim's capture, TSV and JSON from two -D
   * runs (the same uids): every record equal, irc_cmd.log's escaped text (a backslash in `c:\\x.exe`, mIRC
   * codes, tabs) among them, and the vantage corpus's edge cases too.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"devsim, irc_cmd.log", "devsim, irc_pkt.log", "devsim, conn.log",
      "devsim, irc.log", "vantage/company, irc_cmd.log", "vantage/public-server, irc_cmd.log",
      "vantage/cc-server, irc_cmd.log"})
  void zeekPackage_tsvAndJsonGiveTheSameRecords(String corpus, String log) throws Exception {
    String dir = corpus.equals("devsim") ? "devsim/zeek-package" : corpus + "/zeek-package";
    Read tsv = Read.file(TestFiles.data(dir + "/" + log));
    Read json = Read.file(TestFiles.data(dir + "-json/" + log));
    assertEquals(0, tsv.malformed + json.malformed, tsv.messages + " " + json.messages);
    assertTrue(tsv.records > 20, dir + "/" + log + ": " + tsv.records);
    assertEquals(tsv.records, json.records);
    for (int i = 0; i < tsv.events.size(); i++) {
      assertEquals(tsv.events.get(i), json.events.get(i), log + " record " + i);
    }
  }

  private static List<String> sorted(List<Event> events) {
    return events.stream().map(EquivalenceTest::withoutIds).map(Object::toString).sorted().toList();
  }

  private static Object withoutIds(Event e) {
    if (e instanceof ConnEvent c) {
      return new ConnEvent(c.ts(), null, c.flow(), c.service(), c.duration(), c.origBytes(), c.respBytes(),
          c.connState(), c.localOrig(), c.localResp(), c.missedBytes(), c.history(), c.origPkts(), c.origIpBytes(),
          c.respPkts(), c.respIpBytes(), c.communityIdField());
    }
    if (e instanceof IrcEvent i) {
      return new IrcEvent(i.ts(), null, i.flow(), i.nick(), i.user(), i.command(), i.value(), i.addl(),
          i.dccFileName(), i.dccFileSize(), i.dccMimeType(), i.fuid());
    }
    if (e instanceof DnsEvent d) {
      return new DnsEvent(d.ts(), null, d.flow(), d.transId(), d.rtt(), d.query(), d.qtype(), d.qtypeName(),
          d.rcode(), d.rcodeName(), d.aa(), d.rd(), d.ra(), d.answers(), d.ttls(), d.rejected());
    }
    if (e instanceof HttpEvent h) {
      return new HttpEvent(h.ts(), null, h.flow(), h.method(), h.host(), h.uri(), h.userAgent(), h.requestBodyLen(),
          h.responseBodyLen(), h.statusCode(), List.of(), h.respMimeTypes());
    }
    if (e instanceof FileEvent f) {
      return new FileEvent(f.ts(), null, null, f.flow(), f.source(), f.mimeType(), f.filename(), f.seenBytes(),
          f.totalBytes(), f.md5(), f.sha1(), f.sha256());
    }
    return e.toString().replaceAll("fuid=F\\w+", "fuid=");
  }
}
