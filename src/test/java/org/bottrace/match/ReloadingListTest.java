package org.bottrace.match;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.bottrace.ZeekLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lists read again while running; a broken new version keeps the old one; every configured format works. */
class ReloadingListTest {
  @TempDir
  Path dir;

  private static void touch(Path f, long seconds) throws Exception {
    Files.setLastModifiedTime(f, FileTime.fromMillis(1_800_000_000_000L + seconds * 1000));
  }

  @Test
  void changesTakeEffectDeletedEntriesStopMatchingBrokenVersionsAreRefused() throws Exception {
    Path f = dir.resolve("cc.txt");
    Files.writeString(f, "192.0.2.10\n");
    touch(f, 0);
    List<String> warnings = new ArrayList<>();
    ReloadingList l = new ReloadingList("cc", f, "plain", 0, System::nanoTime, warnings::add, Runnable::run);
    assertEquals("192.0.2.10", l.get().ips().lookup("192.0.2.10"));
    Files.writeString(f, "192.0.2.20\n198.51.100.0/24\n");
    touch(f, 1);
    assertNull(l.get().ips().lookup("192.0.2.10"), "deleted from the file: no longer matches");
    assertEquals("198.51.100.0/24", l.get().ips().lookup("198.51.100.7"));
    assertEquals(List.of("list cc (" + f + "): read again, 2 entries (were 1)"), warnings);
    Files.writeString(f, "");
    touch(f, 2);
    assertEquals(2, l.get().size(), "an empty new version is refused");
    Files.delete(f);
    assertEquals(2, l.get().size(), "so is a missing file");
    assertEquals(List.of("list cc (" + f + "): read again, 2 entries (were 1)",
        "list cc (" + f + "): the new version has no entries (written half-way?); the previous version (2 entries)"
            + " stays",
        "list cc (" + f + "): the file is gone; the previous version (2 entries) stays"), warnings);
  }

  @Test
  void aNewVersionIsReadBesideThePipeline_theOldOneServesUntilItIsWhole() throws Exception {
    Path f = dir.resolve("cc.txt");
    Files.writeString(f, "192.0.2.10\n");
    touch(f, 0);
    List<Runnable> pending = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    ReloadingList l = new ReloadingList("cc", f, "plain", 0, System::nanoTime, warnings::add, pending::add);
    Files.writeString(f, "192.0.2.20\n");
    touch(f, 1);
    assertEquals("192.0.2.10", l.get().ips().lookup("192.0.2.10"), "the load is under way: the old version serves");
    assertEquals(1, pending.size());
    l.get();
    assertEquals(1, pending.size(), "one load at a time");
    pending.remove(0).run();
    assertNull(l.get().ips().lookup("192.0.2.10"));
    assertEquals("192.0.2.20", l.get().ips().lookup("192.0.2.20"));
    assertEquals(List.of("list cc (" + f + "): read again, 1 entries (were 1)"), warnings);
  }

  @Test
  void intelListedReadsEveryFormat() throws Exception {
    Path z = dir.resolve("zeek");
    ZeekLog conn = ZeekLog.conn();
    conn.conn(1_790_000_000, "C1", "192.168.1.5", 40001, "104.131.36.154", 443, "tcp", "ssl", 1, 10, 10, "SF", "ShAdDaFf");
    conn.conn(1_790_000_001, "C2", "192.168.1.5", 40002, "198.51.100.155", 5000, "tcp", null, 1, 10, 10, "SF", "ShAdDaFf");
    conn.write(z);
    Path cfg = dir.resolve("bottrace.yaml");
    Files.writeString(cfg, String.format(Locale.ROOT, """
        detectors:
          Intel::Listed:
            lists:
              - {name: botcc, path: %s, format: et_rules, role: cc}
              - {name: feodo, path: %s, format: feodo_csv, role: cc}
        """, TestFiles.data("threatintel/et/emerging-botcc.head20.rules"),
        TestFiles.resource("fixtures/threatintel/feodo.csv")));
    Run r = Run.of("replay", "--config", cfg.toString(), z.toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> n = Notices.of(Notices.parse(r.out()), "Intel::Listed");
    assertEquals(2, n.size(), r.out());
    assertEquals("botcc", n.get(0).get("evidence").get("list").asText());
    assertEquals("feodo", n.get(1).get("evidence").get("list").asText());
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "detectors:\n  Intel::Listed:\n    lists:\n      - {name: x, path: " + cfg + ", format: stix}\n");
    Run b = Run.of("check", "--config", bad.toString());
    assertEquals(2, b.code());
    assertEquals("bottrace: " + bad + ": key 'detectors.Intel::Listed.lists[0].format': expected one of [plain,"
        + " spamhaus_drop, et_rules, zeek_intel, mdl_csv, feodo_csv, spamhaus_asn_drop], found 'stix'\n", b.err());
  }
}
