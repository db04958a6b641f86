package org.bottrace.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.bottrace.Run;
import org.bottrace.Sensors;
import org.bottrace.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The loop closed, in real Zeek and real Suricata: a first pass of bottrace over the bundled example's logs
 * writes the feedback files; a second pass of the sensors over the capture those logs came from, with the
 * files loaded (the package's feedback.zeek, suricata-rules/bottrace-feedback.rules), makes Zeek log
 * intel.log rows and Suricata alert on the C&amp;C; once the C&amp;C is allowlisted, a third pass of bottrace
 * withdraws it and the sensors stop matching it, the download server still matching.
 */
class FeedbackSensorsTest {
  static final Path PCAP = TestFiles.data("vantage/company/capture.pcap");
  static final Path PACKAGE = Path.of("zeek-scripts").toAbsolutePath();
  static final Path RULES = Path.of("suricata-rules/bottrace-feedback.rules").toAbsolutePath();

  @TempDir
  Path dir;

  private Path firstPass(Path fb, String config) throws Exception {
    Run r = Run.of("replay", "-q", "--config", config, "--feedback-dir", fb.toString(), "examples/logs");
    assertEquals(0, r.code(), r.err());
    return fb;
  }

  @Test
  void firstPass_writesWhatBottraceFound_inTheSensorsFormats() throws Exception {
    Path fb = firstPass(dir.resolve("fb"), "examples/bottrace.yaml");
    assertEquals(String.join("\n",
        "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\tmeta.do_notice\tmeta.remove",
        "127.0.0.10\tIntel::ADDR\tbottrace\tbottrace cc (Host::Summary,IRC::BotClient,IRC::CCServer)\t-\tT\tF",
        "127.0.0.20\tIntel::ADDR\tbottrace\tbottrace cc (Host::Summary,IRC::BotClient,IRC::CCServer)\t-\tT\tF",
        "127.0.0.30\tIntel::ADDR\tbottrace\tbottrace download (Bot::Download)\t-\tT\tF",
        "cc.rxbot.example\tIntel::DOMAIN\tbottrace\tbottrace cc (DNS::CCResolution)\t-\tT\tF",
        "irc.public.example\tIntel::DOMAIN\tbottrace\tbottrace cc (DNS::CCResolution)\t-\tT\tF",
        "127.0.0.30/x.exe\tIntel::URL\tbottrace\tbottrace download (Bot::Download)\t-\tT\tF",
        "127.0.0.30/y.exe\tIntel::URL\tbottrace\tbottrace download (Bot::Download)\t-\tT\tF", ""),
        Files.readString(fb.resolve("bottrace.intel")));
    assertEquals("127.0.0.10\n127.0.0.20\n", Files.readString(fb.resolve("bottrace-cc-ip.lst")));
    assertEquals("127.0.0.30\n", Files.readString(fb.resolve("bottrace-download-ip.lst")));
    assertEquals("", Files.readString(fb.resolve("bottrace-herder-ip.lst")));
    // Suricata keeps string datasets in base64
    assertEquals("Y2Mucnhib3QuZXhhbXBsZQ==\naXJjLnB1YmxpYy5leGFtcGxl\n",
        Files.readString(fb.resolve("bottrace-cc-names.lst")));
    assertEquals("127.0.0.10,50,99\n127.0.0.20,50,99\n127.0.0.30,51,88\n",
        Files.readString(fb.resolve("bottrace-iprep.list")));
    assertTrue(Files.readString(fb.resolve("bottrace-iprep-categories.txt")).startsWith("50,BottraceCC,"));
    // a second replay of the same logs changes no byte
    long mtime = Files.getLastModifiedTime(fb.resolve("bottrace.intel")).toMillis();
    Thread.sleep(20);
    firstPass(fb, "examples/bottrace.yaml");
    assertEquals(mtime, Files.getLastModifiedTime(fb.resolve("bottrace.intel")).toMillis(), "left alone");
  }

  @Test
  void secondAndThirdPass_theSensorsMatchWhatWasFound_andStopWhenItIsWithdrawn() throws Exception {
    String zeek = Sensors.zeek();
    String suricata = Sensors.suricata();
    Path fb = firstPass(dir.resolve("fb"), "examples/bottrace.yaml");
    // the rules as installed, with the feedback folder of this test instead of /var/lib/bottrace/feedback
    Files.writeString(fb.resolve(RULES.getFileName()), Files.readString(RULES)
        .replace("/var/lib/bottrace/feedback/", fb.toAbsolutePath() + "/"));

    Set<String> hits = zeekIntel(zeek, fb, dir.resolve("zeek2"));
    assertTrue(hits.containsAll(Set.of("127.0.0.20 Conn::IN_RESP", "cc.rxbot.example DNS::IN_REQUEST",
        "127.0.0.30 Conn::IN_RESP", "127.0.0.30/x.exe HTTP::IN_URL")), hits.toString());
    String notices = Files.readString(dir.resolve("zeek2/notice.log"));
    assertTrue(notices.contains("Intel::Notice\tIntel hit on 127.0.0.20 at Conn::IN_RESP"), notices);
    Set<String> alerts = suricataAlerts(suricata, fb, dir.resolve("suricata2"));
    assertTrue(alerts.containsAll(Set.of("1930101 127.1.0.23>127.0.0.20", "1930103 127.1.0.23>127.0.0.30",
        "1930105 127.1.0.23>127.0.0.53", "1930107 127.1.0.23>127.0.0.20")), alerts.toString());

    // bottrace reading that EVE back: its own verdicts' alerts change nothing (no IRC session, no stage)
    Path eve = dir.resolve("suricata2/eve.json");
    Path without = dir.resolve("eve-without-feedback.json");
    Files.write(without, Files.readAllLines(eve).stream().filter(l -> !l.contains("\"bottrace_evidence\":[\"feedback\"]"))
        .toList());
    assertTrue(Files.readAllLines(without).size() < Files.readAllLines(eve).size(), "the EVE has feedback alerts");
    Run with = Run.of("replay", "-q", "--config", "examples/bottrace.yaml", eve.toString());
    Run plain = Run.of("replay", "-q", "--config", "examples/bottrace.yaml", without.toString());
    assertEquals(0, with.code(), with.err());
    assertTrue(plain.out().contains("\"note\":\"IRC::BotClient\""), plain.out());
    assertEquals(plain.out(), with.out());

    // the analyst allowlists 127.0.0.20: the next pass of bottrace withdraws it
    Path cfg = dir.resolve("allow.yaml");
    Files.writeString(cfg, Files.readString(Path.of("examples/bottrace.yaml"))
        .replace("allowlist:\n", "allowlist:\n  hosts: [127.0.0.20]\n")
        .replace("path: intel/", "path: " + Path.of("examples/intel").toAbsolutePath() + "/"));
    firstPass(fb, cfg.toString());
    String intel = Files.readString(fb.resolve("bottrace.intel"));
    assertTrue(intel.contains("127.0.0.20\tIntel::ADDR\tbottrace\tbottrace cc (Host::Summary,IRC::BotClient,"
        + "IRC::CCServer)\t-\tT\tT\n"), intel);
    assertEquals("127.0.0.10\n", Files.readString(fb.resolve("bottrace-cc-ip.lst")));

    Set<String> after = zeekIntel(zeek, fb, dir.resolve("zeek3"));
    assertTrue(after.stream().noneMatch(h -> h.startsWith("127.0.0.20 ")), after.toString());
    assertTrue(after.contains("127.0.0.30 Conn::IN_RESP"), after.toString());
    Set<String> alertsAfter = suricataAlerts(suricata, fb, dir.resolve("suricata3"));
    assertTrue(alertsAfter.stream().noneMatch(a -> a.endsWith(">127.0.0.20")), alertsAfter.toString());
    assertTrue(alertsAfter.contains("1930103 127.1.0.23>127.0.0.30"), alertsAfter.toString());
  }

  /**
   * wait_for_intel with an intel file that is not there (bottrace not run yet, or a wrong path): Zeek
   * reads the capture and says why it did not wait, instead of holding its packets for ever.
   */
  @Test
  void waitForIntel_withNoFileYet_readsTheCaptureAndSaysSo() throws Exception {
    String zeek = Sensors.zeek();
    Path out = Files.createDirectories(dir.resolve("zeek-missing"));
    Path missing = dir.resolve("fb/bottrace.intel");
    Process p = new ProcessBuilder(zeek, "-C", "-r", PCAP.toAbsolutePath().toString(), PACKAGE.toString(),
        "BottraceFeedback::intel_file=" + missing, "BottraceFeedback::wait_for_intel=T")
        .directory(out.toFile()).redirectErrorStream(true).redirectOutput(out.resolve("zeek.out").toFile()).start();
    boolean done = p.waitFor(120, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    assertTrue(done, "zeek still waiting after 2 minutes");
    String printed = Files.readString(out.resolve("zeek.out"));
    assertEquals(0, p.exitValue(), printed);
    assertTrue(printed.contains("BottraceFeedback: " + missing + " does not exist (yet): not waiting for it"), printed);
    assertTrue(Files.readString(out.resolve("conn.log")).contains("\t127.0.0.10\t6667\t"), "zeek read the capture");
  }

  /** Zeek with the package and the intel file over the capture: each intel.log row as "indicator where". */
  static Set<String> zeekIntel(String zeek, Path fb, Path out) throws Exception {
    Files.createDirectories(out);
    Process p = new ProcessBuilder(zeek, "-C", "-r", PCAP.toAbsolutePath().toString(), PACKAGE.toString(),
        "BottraceFeedback::intel_file=" + fb.resolve("bottrace.intel"), "BottraceFeedback::wait_for_intel=T")
        .directory(out.toFile()).redirectErrorStream(true).redirectOutput(out.resolve("zeek.out").toFile()).start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "zeek took over 2 minutes");
    String printed = Files.readString(out.resolve("zeek.out"));
    assertEquals(0, p.exitValue(), printed);
    assertTrue(!printed.contains("error") && !printed.contains("warning"), printed);
    Set<String> hits = new TreeSet<>();
    Path log = out.resolve("intel.log");
    if (Files.exists(log)) {
      List<String> fields = null;
      for (String l : Files.readAllLines(log)) {
        if (l.startsWith("#fields\t")) {
          fields = List.of(l.substring(8).split("\t"));
        } else if (!l.startsWith("#")) {
          String[] c = l.split("\t");
          hits.add(c[fields.indexOf("seen.indicator")] + " " + c[fields.indexOf("seen.where")]);
        }
      }
    }
    assertTrue(Files.exists(out.resolve("conn.log")), "zeek read the capture");
    return hits;
  }

  /** Suricata with the feedback rules and reputation over the capture: alerts as "sid src>dst". */
  static Set<String> suricataAlerts(String suricata, Path fb, Path out) throws Exception {
    Files.createDirectories(out);
    List<String> cmd = new ArrayList<>(List.of(suricata, "-r", PCAP.toAbsolutePath().toString(), "-k", "none", "-S",
        fb.resolve(RULES.getFileName()).toString(), "-l", out.toString(),
        "--set", "vars.address-groups.HOME_NET=127.1.0.0/16", "--set", "vars.address-groups.EXTERNAL_NET=any",
        "--set", "reputation-categories-file=" + fb.resolve("bottrace-iprep-categories.txt"),
        "--set", "reputation-files.0=" + fb.resolve("bottrace-iprep.list"),
        "--set", "default-reputation-path=" + fb));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.resolve("console.txt").toFile());
    pb.environment().put("TZ", "UTC");
    Process p = pb.start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "suricata took over 5 minutes");
    assertEquals(0, p.exitValue(), Files.readString(out.resolve("console.txt")));
    Set<String> alerts = new TreeSet<>();
    ObjectMapper m = new ObjectMapper();
    int events = 0;
    for (String l : Files.readAllLines(out.resolve("eve.json"))) {
      JsonNode e = m.readTree(l);
      events++;
      if ("alert".equals(e.path("event_type").asText())) {
        alerts.add(e.at("/alert/signature_id").asText() + " " + e.path("src_ip").asText() + ">"
            + e.path("dest_ip").asText());
        assertEquals("feedback", e.at("/alert/metadata/bottrace_evidence/0").asText(), e.toString());
      }
    }
    assertTrue(events > 50, "suricata read the capture");
    return alerts;
  }
}
