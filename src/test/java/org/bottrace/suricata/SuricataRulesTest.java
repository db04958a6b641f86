package org.bottrace.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * suricata-rules/bottrace-irc.rules in real Suricata: the rules load ({@code suricata -T}), and reading
 * bottrace_devsim's capture and pcaps made here ({@code suricata -r -k none}) gives exactly the alerts
 * expected. Skipped with a message where Suricata is not installed; under CI=true that is a failure.
 */
class SuricataRulesTest {
  static final Path RULES = Path.of("suricata-rules/bottrace-irc.rules");
  static String suricata;

  @TempDir
  Path dir;

  @BeforeAll
  static void findSuricata() {
    suricata = org.bottrace.Sensors.suricata();
  }

  private String run(Path log, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(suricata));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TZ", "UTC");
    Process p = pb.start();
    assertTrue(p.waitFor(300, TimeUnit.SECONDS), "suricata took over 5 minutes");
    String out = Files.readString(log);
    assertEquals(0, p.exitValue(), out);
    return out;
  }

  /** Alerts of reading a pcap with only bottrace's rules, as "sid src>dst" to their count. */
  private List<JsonNode> alerts(Path pcap, Path out, String... settings) throws Exception {
    Files.createDirectories(out);
    // one thread: the order of the EVE lines (which the replay below reads as evidence) is then the same on
    // every run; with Suricata's worker threads it varied under load (a busy CI machine) and so did the evidence
    List<String> args = new ArrayList<>(List.of("--runmode", "single", "-r", pcap.toString(), "-k", "none", "-S",
        RULES.toAbsolutePath().toString(), "-l", out.toString()));
    for (String s : settings) {
      args.addAll(List.of("--set", s));
    }
    run(out.resolve("console.txt"), args.toArray(new String[0]));
    List<JsonNode> a = new ArrayList<>();
    for (JsonNode e : Notices.parse(Files.readString(out.resolve("eve.json")))) {
      if (e.get("event_type").asText().equals("alert")) {
        a.add(e);
      }
    }
    return a;
  }

  private static Map<String, Integer> count(List<JsonNode> alerts) {
    Map<String, Integer> m = new TreeMap<>();
    for (JsonNode a : alerts) {
      m.merge(a.get("alert").get("signature_id").asLong() + " " + a.get("src_ip").asText() + ">"
          + a.get("dest_ip").asText(), 1, Integer::sum);
    }
    return m;
  }

  /**
   * The vantage-point corpus's EVE is what Suricata writes with these rules over each view's capture
   * (src/test/scripts/vantage-logs.sh: one thread, HOME_NET the company network or everyone): the same
   * alerts, at the same times, on the same flows.
   */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.CsvSource({"company, [127.1.0.0/16]", "public-server, [0.0.0.0/0]",
      "cc-server, [0.0.0.0/0]"})
  void vantage_theEveTheTestsRead(String view, String home) throws Exception {
    Path out = dir.resolve(view);
    Files.createDirectories(out);
    run(out.resolve("console.txt"), "--runmode", "single", "-r",
        TestFiles.data("vantage/" + view + "/capture.pcap").toString(), "-k", "none", "-S",
        RULES.toAbsolutePath().toString(), "-l", out.toString(), "--set", "vars.address-groups.HOME_NET=" + home,
        "--set", "vars.address-groups.EXTERNAL_NET=any");
    List<String> expected = alertLines(TestFiles.data("vantage/" + view + "/suricata/eve.json"));
    assertTrue(expected.size() > 20, view + ": " + expected.size());
    assertEquals(expected, alertLines(out.resolve("eve.json")));
  }

  private static List<String> alertLines(Path eve) throws Exception {
    List<String> out = new ArrayList<>();
    for (JsonNode e : Notices.parse(Files.readString(eve))) {
      if (e.get("event_type").asText().equals("alert")) {
        out.add(e.get("timestamp").asText() + " " + e.get("alert").get("signature_id").asLong() + " "
            + e.get("src_ip").asText() + ":" + e.get("src_port").asInt() + ">" + e.get("dest_ip").asText() + ":"
            + e.get("dest_port").asInt());
      }
    }
    return out;
  }

  /**
   * The bot families' forms the Zeek package's test trace holds (captured from real ngircd): a topic
   * command in mIRC colours, Kaiten's `!* TSUNAMI`, ShellBot's `!bot @udpflood`, a private `.download` of
   * a program over FTP, reports in bold and colour (`[SCAN]:`, a NOTICE `-[DDoS]-`, `[DOWNLOAD]:`), a DCC
   * SEND of an executable.
   */
  @Test
  void ircEdgeTrace_theFamiliesForms() throws Exception {
    Map<String, Integer> c = count(alerts(Path.of("zeek-scripts/tests/traces/irc-edge.pcap"), dir.resolve("edge"),
        "vars.address-groups.HOME_NET=[0.0.0.0/0]", "vars.address-groups.EXTERNAL_NET=any"));
    String boss = "127.0.6.1";
    String bot = "127.0.6.2";
    String srv = "127.0.0.40";
    Map<String, Integer> expected = new TreeMap<>();
    expected.put("1930003 " + srv + ">" + boss, 1); // the coloured .advscan topic, echoed to its setter
    expected.put("1930003 " + srv + ">" + bot, 1); // ... and to the bot
    expected.put("1930011 " + srv + ">" + bot, 1); // ... and as 332 when the bot joins again
    expected.put("1930001 " + boss + ">" + srv, 2); // !* TSUNAMI and !bot @udpflood sent
    expected.put("1930002 " + srv + ">" + bot, 2); // ... and delivered
    expected.put("1930012 " + srv + ">" + bot, 1); // the private .download ftp://.../u.exe
    expected.put("1930013 " + bot + ">" + srv, 3); // [SCAN]: in bold, -[DDoS]- in colour, [DOWNLOAD]:
    expected.put("1930007 " + bot + ">" + srv, 1); // NICK [RUS|XP]-5521
    expected.put("1930010 " + boss + ">" + srv, 1); // DCC SEND update.exe
    expected.put("1930010 " + srv + ">" + bot, 1);
    expected.put("1930014 " + bot + ">" + srv, 2); // lines after a command it received
    expected.put("1930014 " + boss + ">" + srv, 5); // (the herder receives his own topic back)
    assertEquals(expected, c);
  }

  @Test
  void rulesLoad() throws Exception {
    String out = run(dir.resolve("t.txt"), "-T", "-S", RULES.toAbsolutePath().toString(), "-l", dir.toString());
    assertTrue(out.contains("Configuration provided was successfully loaded"), out);
  }

  @Test
  void devsimCapture_theHerdersCommandsTheirDeliveryAndTheBotsRegistrations() throws Exception {
    // a sensor beside the IRC server judges every client: HOME_NET is everyone
    List<JsonNode> alerts = alerts(TestFiles.data("devsim/capture.pcap"), dir.resolve("devsim"),
        "vars.address-groups.HOME_NET=[0.0.0.0/0]", "vars.address-groups.EXTERNAL_NET=any");
    Map<String, Integer> c = count(alerts);
    Set<String> bots = org.bottrace.detect.irc.DevsimBotnetTestAccess.hosts("bot");
    String server = "85.17.184.21";
    Map<String, Integer> expected = new TreeMap<>();
    expected.put("1930001 5.255.97.13>" + server, 2); // the herder's !get and !scan ("!status", "!info": not C&C words)
    for (String b : bots) {
      expected.put("1930002 " + server + ">" + b, 2); // each delivered to each bot
      expected.put("1930012 " + server + ">" + b, 1); // !get http://47.94.117.203/u.exe: an order
      expected.put("1930009 " + b + ">" + server, 1); // USER x 8 * :x
      // its lines after the first command: 3 answers, 5 for the two downloaders and the scanner
      expected.put("1930014 " + b + ">" + server,
          Set.of("113.87.141.58", "182.148.20.66", "79.246.161.195").contains(b) ? 5 : 3);
    }
    for (String b : List.of("113.87.141.58", "117.196.44.130", "122.171.105.12", "182.148.20.66", "79.246.161.195")) {
      expected.put("1930007 " + b + ">" + server, 1); // {CN}-win7-661094: a tag ...
      expected.put("1930008 " + b + ">" + server, 1); // ... and a digit run
    }
    assertEquals(expected, c, "no alert on the humans: their '!8ball' and '!seen' are not bot command words");

    // the alerts as evidence: the verdicts stay exactly the labelled ones
    Path eve = dir.resolve("devsim/eve.json");
    Run r = Run.of("replay", TestFiles.data("devsim/zeek").toString(), eve.toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> n = Notices.parse(r.out());
    Map<String, JsonNode> last = new TreeMap<>();
    for (JsonNode b : Notices.of(n, "IRC::BotClient")) {
      last.put(b.get("src").asText(), b); // the last word on each bot, with every record read
    }
    assertEquals(bots, last.keySet());
    int answered = 0;
    for (JsonNode b : last.values()) {
      // bottrace's rules as typed evidence: the commands each bot received, and its answer at once (a
      // notice is written when the verdict first holds, so those whose nicks say enough show no answer yet)
      JsonNode cmd = b.get("evidence").get("signs").get("commands");
      assertTrue(cmd != null && cmd.get("commands_heard").asInt() >= 1, b.toString());
      assertTrue(cmd.get("command_alerts").toString().contains("(1930012)"), b.toString());
      answered += cmd.has("commands_answered") ? 1 : 0;
    }
    assertTrue(answered >= 1, "bots whose nicks say little needed their answers: " + answered);
  }

  @Test
  void madePcap_ircOnAnOddPortWithBotRegistrationAndDccExe_andAPersonOn6667_quiet() throws Exception {
    long t0 = 1_790_000_000_000_000L;
    Pcap p = new Pcap()
        .conversation("10.1.2.3", 49152, "203.0.113.9", 4444, t0, Pcap.script(t0,
            "C 0.5 NICK [USA|XP]0043917",
            "C 0.6 USER kqz 8 * :kqz",
            "S 0.9 :srv.example 001 [USA|XP]0043917 :Welcome to the network",
            "C 1.5 JOIN #x k3y",
            "S 2.0 :boss!b@198.51.100.7 PRIVMSG #x :!download http://198.51.100.8/a.exe",
            "C 2.3 PRIVMSG #x :downloading",
            "S 3.0 :boss!b@198.51.100.7 PRIVMSG [USA|XP]0043917 :\u0001DCC SEND update.exe 3325256967 5000 61440\u0001"))
        .conversation("10.1.2.4", 49153, "198.51.100.20", 6667, t0 + 10_000_000, Pcap.script(t0 + 10_000_000,
            "C 0.5 NICK anna",
            "C 0.6 USER anna 0 * :Anna Berg",
            "S 0.9 :irc.example 001 anna :Welcome",
            "C 1.5 JOIN #linux",
            "C 9.0 PRIVMSG #linux :!seen bob",
            "S 12.0 :bob!b@198.51.100.30 PRIVMSG #linux :anyone tried the new kernel?"));
    Path pcap = dir.resolve("made.pcap");
    Files.write(pcap, p.bytes());
    Map<String, Integer> c = count(alerts(pcap, dir.resolve("made")));
    String bot = "10.1.2.3>203.0.113.9";
    String cc = "203.0.113.9>10.1.2.3";
    Map<String, Integer> expected = new TreeMap<>(Map.of(
        "1930002 " + cc, 1, // the !download delivered
        "1930012 " + cc, 1, // ... an order: a program's URL
        "1930014 " + bot, 1, // the bot's line after it
        "1930005 " + bot, 1, // registration on port 4444
        "1930006 " + cc, 1, // welcome from port 4444
        "1930007 " + bot, 1, // [USA|XP]
        "1930008 " + bot, 1, // 0043917
        "1930009 " + bot, 1, // USER kqz 8 * :kqz
        "1930010 " + cc, 1)); // DCC SEND update.exe
    assertEquals(expected, c);
  }
}
