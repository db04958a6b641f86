package org.bottrace.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Generated networks with ground truth ({@link IrcScenario}), in the forms a sensor gives; reports
 * precision and recall per notice type and requires every bot, C&amp;C server, botnet channel and herder
 * found and nothing else flagged.
 */
class IrcScenarioTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "seed {0}, {1}")
  @CsvSource({"7, tsv+script", "7, json+script", "7, tsv+eve", "7, json+eve", "7, tsv+script+eve",
      "11, tsv+script", "11, tsv+eve", "23, json+script", "23, json+eve"})
  void everyBotAndServerFoundNoPersonFlagged(long seed, String form) throws Exception {
    IrcScenario s = new IrcScenario(seed);
    boolean json = form.startsWith("json");
    boolean script = form.contains("script");
    Path zeek = dir.resolve("zeek");
    s.writeZeek(zeek, json, script);
    List<String> args = new ArrayList<>(List.of("replay", zeek.toString()));
    if (form.contains("eve")) {
      Path eve = dir.resolve("suricata/eve.json");
      s.writeEve(eve);
      args.add(eve.toString());
    }
    Run r = Run.of(args.toArray(new String[0]));
    assertEquals(0, r.code(), r.err());
    List<JsonNode> n = Notices.parse(r.out());

    Map<String, Set<String>[]> table = new TreeMap<>();
    table.put("IRC::BotClient", pair(s.bots, flagged(n, "IRC::BotClient", "src")));
    table.put("IRC::CCServer", pair(s.servers, flagged(n, "IRC::CCServer", "server")));
    table.put("IRC::BotnetChannel", pair(s.channels, flagged(n, "IRC::BotnetChannel", "channel")));
    table.put("IRC::Herder", pair(s.herders, flagged(n, "IRC::Herder", "src")));
    StringBuilder report = new StringBuilder("seed " + seed + ", " + form + ":\n");
    for (Map.Entry<String, Set<String>[]> e : table.entrySet()) {
      Set<String> truth = e.getValue()[0];
      Set<String> got = e.getValue()[1];
      Set<String> tp = new TreeSet<>(got);
      tp.retainAll(truth);
      report.append(String.format(Locale.ROOT, "  %-20s truth %3d flagged %3d precision %.3f recall %.3f%n",
          e.getKey(), truth.size(), got.size(), got.isEmpty() ? 1.0 : (double) tp.size() / got.size(),
          truth.isEmpty() ? 1.0 : (double) tp.size() / truth.size()));
    }
    System.out.print(report);
    for (Map.Entry<String, Set<String>[]> e : table.entrySet()) {
      assertEquals(e.getValue()[0], e.getValue()[1], e.getKey() + "\n" + report);
    }
  }

  @SuppressWarnings("unchecked")
  private static Set<String>[] pair(Set<String> truth, Set<String> got) {
    return new Set[] {truth, got};
  }

  static Set<String> flagged(List<JsonNode> notices, String note, String what) {
    Set<String> out = new TreeSet<>();
    for (JsonNode x : Notices.of(notices, note)) {
      out.add(switch (what) {
        case "server" -> x.get("dst").asText() + "|" + x.get("p").asInt();
        case "channel" -> x.get("dst").asText() + "|" + x.get("p").asInt() + "|" + x.get("sub").asText();
        default -> x.get(what).asText();
      });
    }
    return out;
  }
}
