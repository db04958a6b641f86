package org.bottrace.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The vantage-point corpus (data/vantage: real ngircd, dnsmasq and HTTP servers on loopback, captured with
 * tcpdump, read by real Zeek 8.0.10 with bottrace's package and real Suricata 7.0.10 with bottrace's
 * rules; src/test/scripts/vantage-corpus.py and vantage-logs.sh), replayed cold from its first packet,
 * from each vantage point and in each input set: every notice type's precision and recall against
 * labels.json. No person and no service bot is flagged in any form; every bot whose session the view
 * holds is found, and its server named; what a view cannot show (a lone bot's channel, a herder outside
 * the view) is in the expected recalls, and in README's table.
 */
class VantagePointTest {
  static final String[] NOTES = {"IRC::BotClient", "IRC::CCServer", "IRC::BotnetChannel", "IRC::Herder"};
  static JsonNode labels;
  static final Map<String, String> TABLE = new LinkedHashMap<>();

  @BeforeAll
  static void readLabels() throws Exception {
    labels = new ObjectMapper().readTree(TestFiles.data("vantage/labels.json").toFile());
  }

  @AfterAll
  static void writeTable() throws Exception {
    StringBuilder b = new StringBuilder("| vantage point | inputs | IRC::BotClient | IRC::CCServer | IRC::BotnetChannel"
        + " | IRC::Herder |\n|---|---|---|---|---|---|\n");
    TABLE.forEach((k, v) -> b.append("| ").append(k.replace(" / ", " | ")).append(" | ").append(v).append(" |\n"));
    Files.createDirectories(Path.of("target"));
    Files.writeString(Path.of("target/vantage-table.md"), b.toString());
    System.out.print(b);
  }

  /** bottrace replay of a view in an input set: zeek-package(-json), zeek+eve (Zeek's default logs and EVE), eve. */
  static Run replay(String view, String inputs) {
    Path dir = TestFiles.data("vantage/" + view);
    List<String> args = new ArrayList<>(List.of("replay", "-q", "--config",
        TestFiles.resource("fixtures/vantage.yaml").toString()));
    switch (inputs) {
      case "zeek+eve": args.addAll(List.of(dir.resolve("zeek").toString(), dir.resolve("suricata").toString())); break;
      case "eve": args.add(dir.resolve("suricata").toString()); break;
      default: args.add(dir.resolve(inputs).toString()); break;
    }
    return Run.of(args.toArray(new String[0]));
  }

  /** Whether a labelled host's traffic is in a view (company: its own hosts; beside a server: its clients). */
  static boolean visible(String view, JsonNode host) {
    switch (view) {
      case "company": return host.get("ip").asText().startsWith("127.1.");
      case "public-server": return host.get("server").asText().equals("127.0.0.10");
      case "cc-server": return host.get("server").asText().equals("127.0.0.20");
      default: throw new IllegalArgumentException(view);
    }
  }

  /** The labelled truth of each notice type, as the test compares notices. */
  static Map<String, Set<String>> truth(String view) {
    Map<String, Set<String>> t = new LinkedHashMap<>();
    for (String n : NOTES) {
      t.put(n, new TreeSet<>());
    }
    for (JsonNode h : labels.get("hosts")) {
      if (!visible(view, h)) {
        continue;
      }
      String server = h.get("server").asText() + ":" + h.get("port").asInt();
      String role = h.get("role").asText();
      if (role.equals("bot")) {
        t.get("IRC::BotClient").add(h.get("ip").asText());
        t.get("IRC::CCServer").add(server);
        for (JsonNode s : labels.get("servers")) {
          if ((s.get("ip").asText() + ":" + s.get("port").asInt()).equals(server)) {
            for (JsonNode ch : s.get("botnet_channels")) {
              t.get("IRC::BotnetChannel").add(server + " " + ch.asText());
            }
          }
        }
      } else if (role.equals("herder")) {
        t.get("IRC::Herder").add(h.get("ip").asText());
      }
    }
    return t;
  }

  static String key(String note, JsonNode n) {
    switch (note) {
      case "IRC::BotClient":
      case "IRC::Herder":
        return n.get("src").asText();
      case "IRC::CCServer":
        return n.get("dst").asText() + ":" + n.get("p").asInt();
      default:
        return n.get("dst").asText() + ":" + n.get("p").asInt() + " " + n.get("sub").asText();
    }
  }

  /**
   * What a company sensor's stage notices say of the rBot bot inside: its download of the URL its
   * channel's topic ordered, and its scan of port 135 that the herder's `.advscan dcom135` ordered; from
   * Zeek with the package, Zeek with EVE, and (the download) EVE alone (Suricata's ftp events keep the
   * server's lines).
   */
  @ParameterizedTest(name = "{0}")
  @org.junit.jupiter.params.provider.ValueSource(strings = {"zeek-package", "zeek+eve", "eve"})
  void company_theDownloadAndTheScanSayWhichCommandOrderedThem(String inputs) throws Exception {
    Run r = replay("company", inputs);
    assertEquals(0, r.code(), r.err());
    List<JsonNode> notices = Notices.parse(r.out());
    JsonNode download = null;
    for (JsonNode n : Notices.of(notices, "Bot::Download")) {
      if (n.get("src").asText().equals("127.1.0.23")) {
        download = n;
      }
    }
    assertTrue(download != null, r.out());
    JsonNode by = download.get("evidence").get("ordered_by");
    assertEquals("topic", by.get("in").asText(), download.toString());
    assertEquals("#rx", by.get("channel").asText());
    assertEquals("http://dl.example/x.exe", by.get("url").asText());
    assertTrue(by.get("seconds_before").asDouble() > 0 && by.get("seconds_before").asDouble() < 2, by.toString());
    assertTrue(download.get("msg").asText().endsWith("after the topic of #rx: .download c:\\x.exe, URL http://dl.example/x.exe"),
        download.get("msg").asText());
    // what the server told the bot of its channel: NAMES listed the herder, the bot before it, and itself
    JsonNode bot = null;
    for (JsonNode n : Notices.of(notices, "IRC::BotClient")) {
      if (n.get("src").asText().equals("127.1.0.23")) {
        bot = n;
      }
    }
    assertTrue(bot != null, r.out());
    JsonNode seen = bot.get("evidence").get("channels_seen").get(0);
    assertEquals("#rx", seen.get("channel").asText(), bot.toString());
    assertEquals(3, seen.get("names_listed").asInt(), bot.toString());
    assertEquals(1, seen.get("bot_like_names").asInt(), bot.toString());
    if (!inputs.equals("zeek-package")) {
      // Suricata's ftp events keep NAMES' @: the herder, named from inside (Zeek strips it)
      assertEquals("[\"rxadmin\"]", seen.get("operators").toString(), bot.toString());
    }
    List<JsonNode> scans = Notices.of(notices, "Scan::Propagation");
    if (inputs.equals("eve")) {
      // Suricata writes a flow when it times out, here 3.5 min after the scan, later than the scan's
      // quiet window: from EVE flows alone the scan is not seen as one burst (a known limit) unless the
      // lateness bound covers Suricata's flow timeout
      assertEquals(0, scans.size(), r.out());
      Path cfg = Files.createTempFile("vantage-late", ".yaml");
      Files.writeString(cfg, Files.readString(TestFiles.resource("fixtures/vantage.yaml")) + "time:\n  lateness: 5m\n");
      Run late = Run.of("replay", "-q", "--config", cfg.toString(), TestFiles.data("vantage/company/suricata").toString());
      Files.delete(cfg);
      assertEquals(1, Notices.of(Notices.parse(late.out()), "Scan::Propagation").size(), late.out());
      return;
    }
    assertEquals(1, scans.size(), r.out());
    JsonNode scan = scans.get(0).get("evidence").get("ordered_by");
    assertEquals(".advscan dcom135 20", scan.get("command").asText(), scans.get(0).toString());
    assertEquals("rxadmin!~adm@127.0.5.7", scan.get("from").asText());
    assertEquals("line", scan.get("in").asText());
  }

  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({
      // view, inputs, recall of IRC::BotnetChannel, of IRC::Herder
      "company, zeek-package, 0, -",
      "company, zeek-package-json, 0, -",
      "company, zeek+eve, 0, -",
      "company, eve, 0, -",
      "public-server, zeek-package, 1, 1",
      "public-server, zeek-package-json, 1, 1",
      "public-server, zeek+eve, 1, 1",
      "public-server, eve, 0, 0",
      "cc-server, zeek-package, 1, 1",
      "cc-server, zeek-package-json, 1, 1",
      "cc-server, zeek+eve, 1, 1",
      "cc-server, eve, 1, 1",
  })
  void coldStart_precisionAndRecallPerNoticeType(String view, String inputs, String channelRecall,
      String herderRecall) throws Exception {
    Run r = replay(view, inputs);
    assertEquals(0, r.code(), r.err());
    List<JsonNode> notices = Notices.parse(r.out());
    assertTrue(notices.size() > 0, "something was read and said");
    Map<String, Set<String>> truth = truth(view);
    assertTrue(truth.get("IRC::BotClient").size() >= 2, "the view holds bots: " + truth);
    Set<String> people = new TreeSet<>();
    for (JsonNode h : labels.get("hosts")) {
      if (!h.get("role").asText().equals("bot") && !h.get("role").asText().equals("herder")) {
        people.add(h.get("ip").asText());
      }
    }
    StringBuilder row = new StringBuilder();
    Map<String, Double> recall = new LinkedHashMap<>();
    for (String note : NOTES) {
      Set<String> flagged = new TreeSet<>();
      for (JsonNode n : Notices.of(notices, note)) {
        flagged.add(key(note, n));
      }
      Set<String> tp = new TreeSet<>(flagged);
      tp.retainAll(truth.get(note));
      Set<String> fp = new TreeSet<>(flagged);
      fp.removeAll(truth.get(note));
      assertEquals(Set.of(), fp, view + " " + inputs + ": " + note + " flagged what it is not");
      double rec = truth.get(note).isEmpty() ? Double.NaN : (double) tp.size() / truth.get(note).size();
      recall.put(note, rec);
      row.append(row.length() == 0 ? "" : " | ").append(truth.get(note).isEmpty() ? "(none in view)"
          : tp.size() + " of " + truth.get(note).size() + (fp.isEmpty() ? "" : ", " + fp.size() + " false"));
      for (JsonNode n : Notices.of(notices, note)) {
        if (note.equals("IRC::BotClient") || note.equals("IRC::Herder")) {
          assertTrue(!people.contains(n.get("src").asText()), "a person flagged: " + n);
        }
      }
    }
    TABLE.put(view + " / " + inputs, row.toString());
    assertEquals(1.0, recall.get("IRC::BotClient"), view + " " + inputs + ": every bot in view found");
    assertEquals(1.0, recall.get("IRC::CCServer"), view + " " + inputs + ": its C&C named");
    assertEquals(Double.parseDouble(channelRecall), recall.get("IRC::BotnetChannel"), 1e-9, "channels");
    if (!herderRecall.equals("-")) {
      assertEquals(Double.parseDouble(herderRecall), recall.get("IRC::Herder"), 1e-9, "herders");
    } else {
      assertTrue(Double.isNaN(recall.get("IRC::Herder")), "no herder in view");
    }
  }
}
