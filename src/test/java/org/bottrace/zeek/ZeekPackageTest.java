package org.bottrace.zeek;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.bottrace.Sensors;
import org.bottrace.TestFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * zeek-scripts/ in real Zeek: it loads without a warning, and over bottrace_devsim's capture it writes
 * exactly the logs the other tests read (data/devsim/zeek-package*, written by
 * src/test/scripts/zeek-fixtures.sh), whose irc_cmd.log holds what the capture's README counts. Skipped
 * with a message where Zeek is not installed; under CI=true that is a failure.
 */
class ZeekPackageTest {
  static final Path PACKAGE = Path.of("zeek-scripts").toAbsolutePath();
  static String zeek;

  @TempDir
  Path dir;

  @BeforeAll
  static void findZeek() {
    zeek = Sensors.zeek();
  }

  /** Runs Zeek with the package over a capture in {@code out}, as the fixtures script does; its stderr. */
  static String run(Path pcap, Path out, String... extra) throws Exception {
    Files.createDirectories(out);
    List<String> cmd = new ArrayList<>(List.of(zeek, "-D", "-C", "-r", pcap.toAbsolutePath().toString(),
        PACKAGE.toString()));
    cmd.addAll(List.of(extra));
    Path err = out.resolve("stderr.txt");
    Process p = new ProcessBuilder(cmd).directory(out.toFile()).redirectOutput(out.resolve("stdout.txt").toFile())
        .redirectError(err.toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "zeek took over 2 minutes");
    String e = Files.readString(err);
    assertEquals(0, p.exitValue(), e);
    return e;
  }

  /** A log's lines without the #open and #close lines, which carry the time Zeek ran. */
  static List<String> rows(Path log) throws Exception {
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(log)) {
      if (!l.startsWith("#open") && !l.startsWith("#close")) {
        out.add(l);
      }
    }
    return out;
  }

  @Test
  void devsim_loadsWithoutAWarning() throws Exception {
    assertEquals("", run(TestFiles.data("devsim/capture.pcap"), dir));
  }

  @ParameterizedTest
  @ValueSource(strings = {"zeek-package", "zeek-package-json"})
  void devsim_writesTheLogsTheTestsRead(String fixture) throws Exception {
    Path out = dir.resolve(fixture);
    run(TestFiles.data("devsim/capture.pcap"), out, fixture.endsWith("json") ? new String[] {"LogAscii::use_json=T"}
        : new String[0]);
    Path expected = TestFiles.data("devsim/" + fixture);
    List<Path> logs;
    try (Stream<Path> s = Files.list(expected)) {
      logs = s.sorted().toList();
    }
    assertTrue(logs.size() >= 9, logs.toString());
    for (Path log : logs) {
      assertEquals(rows(log), rows(out.resolve(log.getFileName().toString())), log.getFileName().toString());
    }
  }

  /** The package's own baseline test (zkg's test_command): the bot families' forms in irc-edge.pcap, rBot's C&C. */
  @Test
  void packageBaselines_testsRun() throws Exception {
    Path out = dir.resolve("tests-run.txt");
    ProcessBuilder pb = new ProcessBuilder(PACKAGE.resolve("tests/run").toString()).redirectErrorStream(true)
        .redirectOutput(out.toFile());
    pb.environment().put("ZEEK", zeek);
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "tests/run took over 2 minutes");
    String printed = Files.readString(out);
    assertEquals(0, p.exitValue(), printed);
    assertTrue(printed.contains("irc-edge/irc_cmd.log: ok") && printed.contains("rbot-cc/irc_cmd.log: ok"), printed);
    // IRC over TLS on 6697: a bot's TLS 1.2 session and a person's TLS 1.3 one, every row encrypted
    assertTrue(printed.contains("tls-bot/irc_pkt.log: ok"), printed);
    java.util.Set<String> hosts = new java.util.TreeSet<>();
    for (String row : Files.readAllLines(PACKAGE.resolve("tests/baseline/tls-bot/irc_pkt.log"))) {
      if (!row.startsWith("#")) {
        String[] c = row.split("\t");
        assertEquals("T", c[c.length - 1], row);
        hosts.add(c[2]);
      }
    }
    assertEquals(java.util.Set.of("127.1.0.13", "127.1.0.24"), hosts);
  }

  /**
   * irc_open.log, in real Zeek over rBot's C&amp;C capture: the sessions' duration so far at every
   * open_interval; with conn.log left out (no session has ended yet, as in a live sensor), bottrace still
   * sees how long each bot has stayed.
   */
  @Test
  void ircOpen_givesTheStaySoFarOfSessionsThatHaveNotEnded() throws Exception {
    Path out = dir.resolve("rbot-open");
    run(PACKAGE.resolve("tests/traces/rbot-cc.pcap"), out, "BottraceOpen::open_interval=60sec");
    List<String> open = rows(out.resolve("irc_open.log"));
    assertTrue(open.contains("#path\tirc_open"), open.toString());
    assertTrue(open.stream().filter(l -> !l.startsWith("#")).count() >= 8, "a row a minute per session: " + open);
    Files.delete(out.resolve("conn.log"));
    Path cfg = Files.writeString(dir.resolve("short-stay.yaml"), "home_networks: [127.1.0.0/16]\n"
        + "detectors:\n  IRC::Botnet:\n    long_stay: {min_stay: 2m}\n");
    org.bottrace.Run r = org.bottrace.Run.of("replay", "--config", cfg.toString(), out.resolve("irc.log").toString(),
        out.resolve("irc_cmd.log").toString(), out.resolve("irc_open.log").toString());
    assertEquals(0, r.code(), r.err());
    List<com.fasterxml.jackson.databind.JsonNode> bots = org.bottrace.Notices.of(org.bottrace.Notices.parse(r.out()),
        "IRC::BotClient");
    assertTrue(bots.stream().anyMatch(b -> org.bottrace.Notices.strings(b.get("evidence").get("mechanisms"))
        .contains("long_stay")), r.out());
  }

  /** The vantage-point corpus's Zeek logs are what real Zeek writes over each view's capture. */
  @ParameterizedTest
  @ValueSource(strings = {"company", "public-server", "cc-server"})
  void vantage_writesTheLogsTheTestsRead(String view) throws Exception {
    Path capture = TestFiles.data("vantage/" + view + "/capture.pcap");
    Path out = dir.resolve(view);
    run(capture, out.resolve("zeek-package"));
    run(capture, out.resolve("zeek-package-json"), "LogAscii::use_json=T");
    for (String form : new String[] {"zeek-package", "zeek-package-json"}) {
      Path expected = TestFiles.data("vantage/" + view + "/" + form);
      List<Path> logs;
      try (Stream<Path> s = Files.list(expected)) {
        logs = s.sorted().toList();
      }
      assertTrue(logs.stream().anyMatch(l -> l.getFileName().toString().equals("irc_cmd.log")), logs.toString());
      for (Path log : logs) {
        assertEquals(rows(log), rows(out.resolve(form).resolve(log.getFileName().toString())), form + "/" + log.getFileName());
      }
    }
  }

  /**
   * The install README gives: the folder copied into Zeek's site folder as {@code bottrace} and
   * {@code @load bottrace} in local.zeek, which is what zeekctl runs ({@code zeek ... local}); here the
   * site folder is a temporary one put first on ZEEKPATH.
   */
  @Test
  void siteInstall_loadBottraceFromLocalZeek() throws Exception {
    Path site = dir.resolve("site");
    Path pkg = Files.createDirectories(site.resolve("bottrace"));
    try (Stream<Path> s = Files.list(PACKAGE)) {
      for (Path f : s.filter(f -> f.toString().endsWith(".zeek")).toList()) {
        Files.copy(f, pkg.resolve(f.getFileName().toString()));
      }
    }
    Files.writeString(site.resolve("local.zeek"), "@load bottrace\n");
    Process cfg = new ProcessBuilder(Path.of(zeek).resolveSibling("zeek-config").toString(), "--zeekpath")
        .redirectErrorStream(true).start();
    String zeekpath = new String(cfg.getInputStream().readAllBytes()).trim();
    assertTrue(cfg.waitFor(30, TimeUnit.SECONDS) && cfg.exitValue() == 0, zeekpath);
    Path out = Files.createDirectories(dir.resolve("out"));
    ProcessBuilder pb = new ProcessBuilder(zeek, "-D", "-C", "-r",
        TestFiles.data("devsim/capture.pcap").toAbsolutePath().toString(), "local").directory(out.toFile())
        .redirectErrorStream(true).redirectOutput(out.resolve("console.txt").toFile());
    pb.environment().put("ZEEKPATH", site + ":" + zeekpath);
    Process p = pb.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "zeek took over 2 minutes");
    assertEquals(0, p.exitValue(), Files.readString(out.resolve("console.txt")));
    for (String log : new String[] {"irc_cmd.log", "irc_pkt.log"}) {
      assertEquals(rows(TestFiles.data("devsim/zeek-package/" + log)), rows(out.resolve(log)), log);
    }
  }

  /** irc_cmd.log's rows of one kind: is_orig, command, and the row's columns by name. */
  static List<Map<String, String>> ircCmd(Path log) throws Exception {
    List<Map<String, String>> out = new ArrayList<>();
    String[] fields = null;
    for (String l : Files.readAllLines(log)) {
      if (l.startsWith("#fields\t")) {
        fields = l.substring("#fields\t".length()).split("\t");
      } else if (!l.startsWith("#")) {
        String[] v = l.split("\t", -1);
        Map<String, String> row = new TreeMap<>();
        for (int i = 0; i < fields.length; i++) {
          row.put(fields[i], v[i]);
        }
        out.add(row);
      }
    }
    return out;
  }

  @Test
  void devsim_ircCmdHasEveryClientCommandAndWhatTheServerTellsEachMember() throws Exception {
    run(TestFiles.data("devsim/capture.pcap"), dir);
    List<Map<String, String>> rows = ircCmd(dir.resolve("irc_cmd.log"));
    Map<String, Integer> client = new TreeMap<>();
    int commands = 0;
    int names = 0;
    int relayedJoins = 0;
    for (Map<String, String> r : rows) {
      if (r.get("is_orig").equals("T")) {
        client.merge(r.get("command"), 1, Integer::sum);
      } else if (r.get("command").equals("PRIVMSG") && r.get("prefix").startsWith("nullbyte!")) {
        commands++;
        assertTrue(r.get("words").startsWith("!"), r.toString());
        if (r.get("words").equals("!get")) {
          assertEquals("http://47.94.117.203/u.exe", r.get("url"));
        }
      } else if (r.get("command").equals("353")) {
        names++;
        assertEquals(r.get("text").split(" ").length, Integer.parseInt(r.get("num")), r.toString());
      } else if (r.get("command").equals("JOIN") && !r.get("prefix").equals("-")) {
        relayedJoins++;
      }
      if (r.get("command").equals("PRIVMSG") || r.get("command").equals("NOTICE")) {
        assertEquals("-", r.get("text"), "no message text unless log_text is on: " + r);
      }
    }
    // the client commands bottrace_devsim's README counts
    for (Map.Entry<String, Integer> e : Map.of("PRIVMSG", 138, "PING", 23, "JOIN", 16, "MODE", 16, "CAP", 15,
        "NICK", 15, "USER", 15).entrySet()) {
      assertEquals(e.getValue(), client.get(e.getKey()), e.getKey());
    }
    assertEquals(7 * 8, commands, "the herder's 7 commands, delivered to each of the 8 bots");
    assertEquals(21, names);
    assertTrue(relayedJoins > 60, "joins of other members, as each member saw them: " + relayedJoins);
  }
}
