package org.bottrace.detect.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.bench.GenerateLogs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The compact state ({@link org.bottrace.state.CompactTable}s for the site's hosts and the servers they
 * call, resolved names, servers seen speaking IRC, and a pair's first connection until a second one
 * comes) against Caffeine caches with string keys and pairs in full from their first connection
 * ({@code state.compact: false}): the same input gives the same notices, byte for byte. Inputs: the bundled example, devsim's
 * Zeek and Suricata logs, a beaconing bot seen by both sensors among 60,000 generated conn.log rows and
 * 40,000 EVE events copied from real Suricata output, and 60,000 events of a busy site's EVE mix (the
 * benchmark's generators).
 */
class CompactStateEquivalenceTest {
  @TempDir
  Path dir;

  private static final String PLAIN = "state:\n  compact: false\n";

  /** Both ways; the notices (non-empty) must be the same; returns them by note. */
  private TreeMap<String, Integer> same(String config, Path configDir, String... inputs) throws Exception {
    Path compact = Files.writeString(configDir.resolve("compact.yaml"), config);
    Path plain = Files.writeString(configDir.resolve("plain.yaml"), config + PLAIN);
    String[] a = new String[inputs.length + 4];
    a[0] = "replay";
    a[1] = "--config";
    a[3] = "-q";
    System.arraycopy(inputs, 0, a, 4, inputs.length);
    a[2] = compact.toString();
    Run c = Run.of(a);
    a[2] = plain.toString();
    Run p = Run.of(a);
    assertEquals(0, c.code(), c.err());
    assertEquals(0, p.code(), p.err());
    List<JsonNode> notices = Notices.parse(c.out());
    assertTrue(!notices.isEmpty(), "notices were written");
    assertEquals(p.out(), c.out(), "the same notices with and without the compact state");
    TreeMap<String, Integer> byNote = new TreeMap<>();
    notices.forEach(n -> byNote.merge(n.get("note").asText(), 1, Integer::sum));
    return byNote;
  }

  @Test
  void theExample_andDevsim_giveTheSameNotices() throws Exception {
    Files.createDirectories(dir.resolve("intel"));
    try (var s = Files.list(Path.of("examples/intel"))) {
      for (Path f : s.toList()) {
        Files.copy(f, dir.resolve("intel").resolve(f.getFileName()));
      }
    }
    TreeMap<String, Integer> ex = same(Files.readString(Path.of("examples/bottrace.yaml")), dir, "examples/logs");
    assertEquals(35, ex.values().stream().mapToInt(Integer::intValue).sum(), ex.toString());
    Path d = Path.of("src/test/resources/data/devsim");
    TreeMap<String, Integer> dev = same("home_networks: [127.0.0.0/8]\n", dir, d.resolve("zeek").toString(),
        d.resolve("suricata/eve.json").toString());
    assertTrue(dev.containsKey("IRC::BotClient"), dev.toString());
  }

  /** BeaconTest's site (a bot checking in every 5 minutes and its look-alikes) in {@code dir}/site. */
  private BeaconTest beaconSite() throws Exception {
    BeaconTest site = new BeaconTest();
    site.dir = Files.createDirectories(dir.resolve("site"));
    return site;
  }

  @Test
  void aBeaconAmongGeneratedNoise_andCopiedEve_giveTheSameNotices() throws Exception {
    BeaconTest site = beaconSite();
    Path zeek = site.site();
    Path eve = site.eve();
    GenerateLogs.writeConn(dir.resolve("noise-conn.log"), 60_000);
    GenerateLogs.writeEve(dir.resolve("copied-eve.json"), 40_000);
    TreeMap<String, Integer> n = same("home_networks: [192.168.9.0/24, 10.0.0.0/8, 127.0.0.0/8]\n", dir,
        dir.resolve("noise-conn.log").toString(), zeek.toString(), eve.toString(), dir.resolve("copied-eve.json").toString());
    assertEquals(1, n.get("C2::Beacon"), n.toString());
    assertTrue(n.containsKey("IRC::BotClient"), n.toString());
  }

  /** The benchmark's busy-site mix of EVE (a benign company's web, TLS and DNS among two botnets' sensors). */
  @Test
  void aBusySitesEveMix_givesTheSameNotices() throws Exception {
    GenerateLogs.writeEveMix(dir.resolve("mix-eve.json"), 60_000);
    TreeMap<String, Integer> n = same("home_networks: [10.0.0.0/8]\n", dir, dir.resolve("mix-eve.json").toString());
    assertTrue(n.containsKey("IRC::BotClient"), n.toString());
  }

  /**
   * Windows shorter than the input, so that hosts leave the site's count and pairs are judged while
   * others go on: every beacon window of the bot's six hours is judged, with the prevalence of its time.
   */
  @Test
  void shortWindows_whereStateExpiresMidRun_giveTheSameNotices() throws Exception {
    Path zeek = beaconSite().site();
    GenerateLogs.writeConn(dir.resolve("noise-conn.log"), 20_000);
    TreeMap<String, Integer> n = same("home_networks: [192.168.9.0/24, 10.0.0.0/8]\ndetectors:\n  C2::Beacon:\n"
        + "    window: 2h\n    min_span: 1h\n    min_connections: 12\n  IRC::FlowBotnet:\n    window: 20m\n", dir,
        dir.resolve("noise-conn.log").toString(), zeek.toString());
    assertTrue(n.get("C2::Beacon") >= 2, n.toString());
  }
}
