package org.bottrace.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.ZeekLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log content is attacker-controlled. A listed domain is not hidden by one odd byte in a label before
 * it, and no sink (JSON notices, the Zeek-format log, stderr) lets a control character, a bidi override
 * or a byte order mark through raw.
 */
class HostileContentTest {
  @TempDir
  Path dir;

  /** Names a bot's resolver may be asked, each with a byte no DNS name holds, all under a listed domain. */
  static final List<String> NAMES = List.of("x<y.evil.example", "ab\u001b.evil.example", "a b.evil.example",
      "x\u0000.evil.example", "d\u007fl.evil.example", "rtl\u202egpj.evil.example", "\ufeffbom.evil.example");

  private Run replay(String format) throws Exception {
    Path z = dir.resolve("zeek");
    ZeekLog dns = new ZeekLog("dns", "ts", "time", "uid", "string", "id.orig_h", "addr", "id.orig_p", "port",
        "id.resp_h", "addr", "id.resp_p", "port", "proto", "enum", "trans_id", "count", "query", "string",
        "qtype_name", "string", "rcode_name", "string", "answers", "vector[string]", "TTLs", "vector[interval]");
    for (int i = 0; i < NAMES.size(); i++) {
      // one client each: the same client and listed entry within the hour would be suppressed
      dns.row(String.format("1795300%03d.000000", i * 10), "CD" + i, "192.168.7." + (20 + i), 50000 + i, "192.168.7.1",
          53, "udp",
          i + 1, NAMES.get(i), "A", "NOERROR", "203.0.113.9", "60.000000");
    }
    dns.write(z);
    Path list = Files.writeString(dir.resolve("cc.txt"), "evil.example\n");
    Path cfg = Files.writeString(dir.resolve("c.yaml"), "notices: {format: " + format + "}\n"
        + "detectors:\n  Intel::Listed:\n    lists:\n      - {name: cc, path: " + list + ", role: cc}\n"
        + "  DNS::Anomalies:\n    lists:\n      - {name: cc, path: " + list + ", role: cc}\n");
    Run r = Run.of("replay", "--config", cfg.toString(), z.toString());
    assertEquals(0, r.code(), r.err());
    return r;
  }

  @Test
  void oddByteInALabel_doesNotHideTheListedDomain_andTheNameIsKeptEscaped() throws Exception {
    Run r = replay("json");
    List<JsonNode> n = Notices.parse(r.out());
    for (String note : List.of("Intel::Listed", "DNS::ListedName")) {
      Set<String> names = new TreeSet<>();
      for (JsonNode x : Notices.of(n, note)) {
        assertEquals("cc:evil.example", x.get("sub").asText(), x.toString());
        names.add(x.get("evidence").get(note.equals("Intel::Listed") ? "matched" : "query").asText());
      }
      assertEquals(new TreeSet<>(NAMES), names, note + ": every name, as it was (JSON escapes it)");
    }
  }

  @Test
  void jsonNotices_areOneAsciiLineEach_withEveryHiddenCharacterEscaped() throws Exception {
    String out = replay("json").out();
    assertTrue(out.contains("ab\\u001B.evil.example") || out.contains("ab\\u001b.evil.example"), out);
    assertTrue(out.contains("d\\u007Fl.evil.example") || out.contains("d\\u007fl.evil.example"), "DEL escaped");
    assertTrue(out.toLowerCase().contains("rtl\\u202egpj"), "bidi override escaped");
    for (char c : out.toCharArray()) {
      assertTrue(c == '\n' || c >= 0x20 && c < 0x7f, "raw character " + (int) c + " in the JSON notices");
    }
  }

  @Test
  void zeekFormatNotices_escapeHiddenCharactersAsZeekDoes() throws Exception {
    String out = replay("zeek").out();
    assertTrue(out.contains("ab\\x1b.evil.example"), out);
    assertTrue(out.contains("d\\x7fl.evil.example"), out);
    assertTrue(out.contains("rtl\\xe2\\x80\\xaegpj.evil.example"), "U+202E as its UTF-8 bytes");
    assertTrue(out.contains("\\xef\\xbb\\xbfbom.evil.example"), "the BOM as its UTF-8 bytes");
    for (char c : out.toCharArray()) {
      assertFalse(org.bottrace.source.Printable.hidden(c) && c != '\n' && c != '\t',
          "raw character " + (int) c + " in the Zeek-format notices");
    }
  }

  @Test
  void stderr_getsNoRawControlCharactersFromTheLogs() throws Exception {
    // the parser's message quotes the token it could not read: the attacker's bytes
    Path a = Files.write(dir.resolve("a.json"), "{\"a\": x\u202ey}\n".getBytes(StandardCharsets.UTF_8));
    Path b = Files.write(dir.resolve("b.json"), "{\"a\": abc\u007fd\u001b[2Jef}\n".getBytes(StandardCharsets.UTF_8));
    Run r = Run.of("replay", a.toString(), b.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains(a + ":1: skipped malformed line: not valid JSON: unrecognized token 'x\\xe2\\x80\\xaey' at byte 6"),
        r.err());
    assertTrue(r.err().contains(b + ":1: skipped malformed line: not valid JSON: unrecognized token 'abc\\x7fd"), r.err());
    for (char c : r.err().toCharArray()) {
      assertFalse(org.bottrace.source.Printable.hidden(c) && c != '\n', "raw character " + (int) c + " on stderr");
    }
  }

  @Test
  void htmlReport_escapesMarkupAndHiddenCharacters() {
    assertEquals("&lt;script&gt;x&#39;&quot;&amp;\\x1b[2J\\xe2\\x80\\xae",
        org.bottrace.report.ReportAccess.esc("<script>x'\"&\u001b[2J\u202e"));
  }

  @Test
  void aMegabyteOfNickAndChannel_isBoundedInEveryNotice() throws Exception {
    String big = "\u001b[2J" + "A".repeat(1 << 20);
    Path z = dir.resolve("zeek");
    new ZeekLog("irc", "ts", "time", "uid", "string", "id.orig_h", "addr", "id.orig_p", "port", "id.resp_h", "addr",
        "id.resp_p", "port", "nick", "string", "user", "string", "command", "string", "value", "string", "addl",
        "string")
        .row("1795300000.000000", "CI1", "192.168.7.20", 40000, "198.51.100.7", 6667, null, null, "NICK", big, null)
        .row("1795300001.000000", "CI1", "192.168.7.20", 40000, "198.51.100.7", 6667, big, null, "JOIN", "#" + big, null)
        .write(z);
    for (String format : List.of("json", "zeek")) {
      Path cfg = Files.writeString(dir.resolve(format + ".yaml"), "notices: {format: " + format + "}\n");
      Run r = Run.of("replay", "--config", cfg.toString(), z.toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(r.out().contains("IRC::ControlSession"), format + ": the session is reported: " + r.err());
      assertTrue(r.out().contains("more chars]"), format + ": cut and marked");
      for (String line : r.out().split("\n")) {
        assertTrue(line.length() < 20_000, format + ": a notice line of " + line.length() + " characters");
        assertFalse(line.contains("\u001b"), format + ": raw ESC");
      }
    }
  }

  @Test
  void printable_escapesWhatAReaderMustNotGetRaw_andLeavesTextAlone() {
    assertEquals("plain text, caf\u00e9, \u65e5\u672c, \ud83d\ude00", org.bottrace.source.Printable.of(
        "plain text, caf\u00e9, \u65e5\u672c, \ud83d\ude00"));
    assertEquals("a\\x1b[2Jb\\x00c\\x7f", org.bottrace.source.Printable.of("a\u001b[2Jb\u0000c\u007f"));
    assertEquals("\\xe2\\x80\\xae\\xef\\xbb\\xbf\\xc2\\x85", org.bottrace.source.Printable.of("\u202e\ufeff\u0085"));
    assertEquals("lone \\xed\\xa0\\x80", org.bottrace.source.Printable.of("lone \ud800"));
    assertEquals("C:\\x5cx41 stays as written", org.bottrace.source.Printable.of("C:\\x41 stays as written"));
  }
}
