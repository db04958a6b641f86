package org.bottrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.bottrace.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The smaller faults of the audit: each a clear message, the documented exit code, nothing read lost. */
class InputAndConfigFaultsTest {
  @TempDir
  Path dir;

  private static final Path CONN = Path.of("src/test/resources/data/devsim/zeek/conn.log");

  @Test
  void truncatedGzip_keepsEveryLineBeforeTheCut_saysSo_exit1() throws Exception {
    Path gz = dir.resolve("conn.log.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(CONN, o);
    }
    byte[] all = Files.readAllBytes(gz);
    Path cut = Files.write(dir.resolve("conn.cut.log.gz"), java.util.Arrays.copyOf(all, all.length - 40));
    Run whole = Run.of("replay", "--stats", dir.resolve("w.json").toString(), gz.toString());
    Run r = Run.of("replay", "--stats", dir.resolve("s.json").toString(), cut.toString());
    assertEquals(1, r.code(), r.err());
    assertTrue(r.err().contains(cut + ": the compressed stream ends early (a gzip file cut short?) after line "), r.err());
    long had = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("w.json").toFile())
        .get("files").get(0).get("records").asLong();
    long kept = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("s.json").toFile())
        .get("files").get(0).get("records").asLong();
    assertEquals(0, whole.code());
    assertTrue(kept > had - 5 && kept < had, "all but the lines in the last 40 compressed bytes: " + kept + " of " + had);
  }

  @Test
  void listFilesThatCannotBeUsed_sayWhyInOneLine() throws Exception {
    Path bad = Files.write(dir.resolve("latin1.txt"), new byte[] {'e', 'v', (byte) 0xe9, 'l', '.', 'x', '\n'});
    Path cfg = Files.writeString(dir.resolve("c.yaml"), "detectors:\n  Intel::Listed:\n    lists:\n"
        + "      - {name: cc, path: " + bad + "}\n");
    Run r = Run.of("check", "--config", cfg.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals("bottrace: " + cfg + ": key 'detectors.Intel::Listed.lists[0].path': " + bad + " is not UTF-8 text\n",
        r.err());
    // a list that cannot be read says why in the system's words (for root, permissions stop nothing:
    // /proc/self/mem fails at offset 0 with an I/O error instead)
    Path unreadable = Files.createSymbolicLink(dir.resolve("mem.txt"), Path.of("/proc/self/mem"));
    Files.writeString(cfg, "detectors:\n  Intel::Listed:\n    lists:\n      - {name: cc, path: " + unreadable + "}\n");
    r = Run.of("check", "--config", cfg.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals("bottrace: " + cfg + ": key 'detectors.Intel::Listed.lists[0].path': cannot read " + unreadable
        + ": Input/output error\n", r.err());
    Path empty = Files.writeString(dir.resolve("empty.txt"), "# nothing yet\n");
    Files.writeString(cfg, "detectors:\n  Intel::Listed:\n    lists:\n      - {name: cc, path: " + empty + "}\n");
    r = Run.of("check", "--config", cfg.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("bottrace: list cc (" + empty + "): no entries"), r.err());
  }

  @Test
  void oneListNamedAlikeInThreeSections_isReadOnce() throws Exception {
    Path list = Files.writeString(dir.resolve("cc.txt"), "192.0.2.1\n10.0.0.0/33\n");
    String entry = "    lists:\n      - {name: cc, path: " + list + ", role: cc}\n";
    Path cfg = Files.writeString(dir.resolve("c.yaml"), "enrichment:\n" + entry + "detectors:\n  Intel::Listed:\n"
        + entry.replace("    ", "      ").replace("      lists", "    lists") + "  DNS::Anomalies:\n"
        + entry.replace("    ", "      ").replace("      lists", "    lists"));
    Run r = Run.of("check", "--config", cfg.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(1, r.err().lines().filter(l -> l.startsWith("bottrace: list cc (" + list + "): skipped 1 line(s)"))
        .count(), "read (and warned about) once, not once a section: " + r.err());
  }

  @Test
  void duplicateYamlKey_isAConfigurationError() throws Exception {
    Path cfg = Files.writeString(dir.resolve("c.yaml"), "time:\n  lateness: 5m\n  lateness: 1s\n");
    Run r = Run.of("check", "--config", cfg.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().startsWith("bottrace: " + cfg + ": not valid YAML: Duplicate field 'lateness'"), r.err());
  }

  @Test
  void runWithAFolderAsALog_isExit2() throws Exception {
    Run r = Run.of("run", "--log", dir.toString(), "--stop-when-idle", "1s");
    assertEquals(2, r.code(), r.err());
    assertEquals("bottrace: command line: key '--log': " + dir + " is a folder: give the log files in it (or --zeek-dir"
        + " for Zeek's current logs folder)\n", r.err());
  }

  @Test
  void reportOnGarbageNotices_skipsThemAndSaysSo_andAFolderAsOutIsExit2() throws Exception {
    Path garbage = Files.write(dir.resolve("n.json"), ("not json\n[1,2]\n{\"note\": 5}\n{\"note\":\"IRC::BotClient\","
        + "\"evidence\":\"x\"}\n\u00ff\u00fe{\n").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
    Run r = Run.of("report", "--notices", garbage.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains(garbage + ": skipped 5 line(s) that are not JSON notices"), r.err());
    r = Run.of("report", "--notices", garbage.toString(), "--out", dir.toString());
    assertEquals(2, r.code(), r.err());
    assertEquals("bottrace: command line: key '--out': " + dir + " is a folder, not a file\n", r.err());
  }

  @Test
  void zeekChannelKey_isReadWithoutARegularExpression() {
    assertEquals("hX9-k2v", org.bottrace.detect.irc.IrcFactsAccess.channelKey(" with channel key: 'hX9-k2v'"));
    assertEquals("", org.bottrace.detect.irc.IrcFactsAccess.channelKey(" with channel key: ''"));
    assertEquals(null, org.bottrace.detect.irc.IrcFactsAccess.channelKey(" with channel key: 'open"));
    String hostile = " with channel key: '".repeat(50_000);
    assertEquals(" with channel key: '".repeat(49_998) + " with channel key: ",
        org.bottrace.detect.irc.IrcFactsAccess.channelKey(hostile), "the first key marker to the last quote");
  }
}
