package org.bottrace.cli;

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

class ReplayCommandTest {
  @TempDir
  Path dir;

  @Test
  void replay_suricatasFolder_readsEveJsonAndSaysWhatItSkipped() throws Exception {
    Path s = RunCommandTest.suricataFolder(dir);
    Run r = Run.of("replay", s.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(Run.of("replay", "-q", s.resolve("eve.json").toString()).out(), r.out());
    assertTrue(r.out().lines().count() > 5, r.out());
    java.util.List<String> said = r.err().lines().filter(l -> l.contains(": skipped")).toList();
    assertEquals(java.util.List.of(
        "bottrace replay: " + s.resolve("fast.log") + ": skipped: Suricata's alert text log (alerts are read from eve.json)",
        "bottrace replay: " + s.resolve("stats.log") + ": skipped: Suricata's statistics log",
        "bottrace replay: " + s.resolve("suricata.log") + ": skipped: Suricata's own messages"), said);
    assertTrue(summary(r.err()).startsWith("bottrace replay: 1 file, "), r.err());
    assertTrue(summary(r.err()).contains(" (0 malformed, "), r.err());
    // a folder of nothing but such logs is no input
    Path only = Files.createDirectories(dir.resolve("only"));
    Files.copy(s.resolve("fast.log"), only.resolve("fast.log"));
    Run none = Run.of("replay", only.toString());
    assertEquals(2, none.code());
    assertTrue(none.err().endsWith(only + ": folder holds no log files (*.log*, *.json*) that bottrace reads: 1 skipped\n"),
        none.err());
  }

  @Test
  void replay_statsFileHasTheDocumentedShape() throws Exception {
    Path stats = dir.resolve("stats.json");
    Path out = dir.resolve("notices.json");
    Run r = Run.of("replay", "--stats", stats.toString(), "--out", out.toString(),
        TestFiles.data("devsim/zeek").toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.out());
    JsonNode s = new ObjectMapper().readTree(stats.toFile());
    assertEquals(7, s.get("files").size());
    JsonNode conn = s.get("files").get(1);
    assertTrue(conn.get("path").asText().endsWith("devsim/zeek/conn.log"));
    assertEquals("conn", conn.get("kind").asText());
    assertEquals(97, conn.get("records").asLong());
    assertEquals(0, conn.get("malformed").asLong());
    assertEquals(15, s.get("notices").get("IRC::ControlSession").asLong());
    assertEquals(0, s.get("late").asLong());
    assertTrue(s.get("elapsed_s").isNumber());
    assertEquals(57, Files.readAllLines(out).size(), "37 verdicts and 20 host summaries (one more for each Bot::Infection)");
    assertEquals("bottrace replay: IRC::Botnet evidence: irc.log yes, conn.log yes, irc_cmd.log no (no response"
        + " times, channel lines or operator rights), irc_pkt.log no (no Sn/Tn profile), EVE no (no alerts); no line"
        + " timing: no answers in step, no herder", r.err().lines().findFirst().orElse(""),
        "the startup summary says what the inputs cannot show");
    assertTrue(summary(r.err()).startsWith("bottrace replay: 7 files, 196 records (0 malformed, 0 late), 57 notices"
        + " (Bot::Download 2, Bot::Infection 3, DNS::CCResolution 5, Host::Summary 20, IRC::BotClient 8, IRC::BotnetChannel 1,"
        + " IRC::CCServer 2, IRC::ControlSession 15, Scan::Propagation 1) in "),
        r.err());
  }

  @Test
  void replay_malformedLineReportedWithFileAndLineThenSkipped() throws Exception {
    Path f = dir.resolve("irc.log");
    String good = Files.readString(TestFiles.data("devsim/zeek/irc.log"));
    String broken = good.replaceFirst("1795309823.489295\tC9krBN1irPoGqlkBt1\t84.104.213.17\t55919",
        "1795309823.489295\tC9krBN1irPoGqlkBt1\t84.104.213.17");
    Files.writeString(f, broken);
    Run r = Run.of("replay", f.toString());
    assertEquals(0, r.code());
    assertTrue(r.err().contains("\nbottrace: " + f + ":9: skipped malformed line: only 14 of the 15 fields of the"
        + " #fields header\n"), r.err());
    assertEquals(15, r.out().lines().filter(l -> l.contains("\"note\":\"IRC::ControlSession\"")).count(),
        "daan's session is still seen from his other rows");
  }

  @Test
  void replay_missingPathIsExit2() {
    Run r = Run.of("replay", dir.resolve("nope.log").toString());
    assertEquals(2, r.code());
    assertEquals("bottrace: command line: " + dir.resolve("nope.log") + ": no such file or folder\n", r.err());
  }

  @Test
  void replay_globWithoutMatchIsExit2() {
    Run r = Run.of("replay", dir.resolve("conn.*.log.gz").toString());
    assertEquals(2, r.code());
    assertEquals("bottrace: command line: " + dir.resolve("conn.*.log.gz") + ": no file matches\n", r.err());
  }

  /** The closing summary line of a replay's stderr. */
  static String summary(String err) {
    return err.lines().filter(l -> l.startsWith("bottrace replay: ") && l.contains(" records (")).findFirst()
        .orElse("");
  }

  @Test
  void replay_globPicksMatchingFiles() {
    Run r = Run.of("replay", TestFiles.data("devsim/zeek").resolve("i*.log").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(summary(r.err()).startsWith("bottrace replay: 1 file, 51 records"), r.err());
  }

  @Test
  void replay_badFormatIsExit2() {
    Run r = Run.of("replay", "--format", "xml", TestFiles.data("devsim/zeek/irc.log").toString());
    assertEquals(2, r.code());
    assertEquals("bottrace: command line: key '--format': expected json, ecs or zeek, found 'xml'\n", r.err());
  }

  @Test
  void replay_unwritableOutputIsExit3() {
    Run r = Run.of("replay", "--out", dir.resolve("no/such/dir/n.json").toString(),
        TestFiles.data("devsim/zeek/irc.log").toString());
    assertEquals(3, r.code());
    assertTrue(r.err().startsWith("bottrace: cannot write " + dir.resolve("no/such/dir/n.json")), r.err());
  }

  /** notices.min_severity low: the informational session notices are not written; every verdict is. */
  @Test
  void minSeverity_leavesOutTheInformationalNotices() throws Exception {
    String logs = TestFiles.data("devsim/zeek-package").toString();
    Run all = Run.of("replay", "-q", logs);
    Path cfg = Files.writeString(dir.resolve("low.yaml"), "notices:\n  min_severity: low\n");
    Run low = Run.of("replay", "--config", cfg.toString(), logs);
    assertEquals(0, low.code(), low.err());
    java.util.List<JsonNode> a = org.bottrace.Notices.parse(all.out());
    java.util.List<JsonNode> l = org.bottrace.Notices.parse(low.out());
    long info = a.stream().filter(n -> n.get("severity").asText().equals("informational")).count();
    assertTrue(info >= 15, "devsim's session notices: " + info);
    assertEquals(a.size() - info, l.size());
    assertTrue(l.stream().noneMatch(n -> n.get("note").asText().equals("IRC::ControlSession")), low.out());
    assertTrue(low.err().contains(info + " below notices.min_severity"), low.err());
    Path bad = Files.writeString(dir.resolve("bad.yaml"), "notices:\n  min_severity: urgent\n");
    Run b = Run.of("replay", "--config", bad.toString(), logs);
    assertEquals(2, b.code());
    assertEquals("bottrace: " + bad + ": key 'notices.min_severity': expected informational, low, medium, high or"
        + " critical, found 'urgent'\n", b.err());
  }
}
