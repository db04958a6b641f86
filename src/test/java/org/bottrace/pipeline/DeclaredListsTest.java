package org.bottrace.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A list declared once at the top of the configuration reaches every section that uses lists: Intel::Listed,
 * DNS::ListedName and the traceback enrichment; a section may name a subset, and a name that is not
 * declared stops with exit 2.
 */
class DeclaredListsTest {
  @TempDir
  Path dir;

  @Test
  void declaredOnce_usedByEverySection() throws Exception {
    Path list = Files.writeString(dir.resolve("cc.txt"), "85.17.184.21\npolder-net.example\n");
    Path cfg = Files.writeString(dir.resolve("c.yaml"), "lists:\n  - {name: cc-watch, path: " + list + ", role: cc}\n");
    Run r = Run.of("replay", "-q", "--config", cfg.toString(), TestFiles.data("devsim/zeek-package").toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> n = Notices.parse(r.out());
    assertFalse(Notices.of(n, "Intel::Listed").isEmpty(), "Intel::Listed uses it");
    assertFalse(Notices.of(n, "DNS::ListedName").isEmpty(), "DNS::ListedName uses it");
    JsonNode cc = Notices.server(Notices.of(n, "IRC::CCServer").get(0), "85.17.184.21");
    assertEquals("cc-watch", cc.get("lists").get(0).get("list").asText(), "the enrichment uses it: " + cc);

    // a section that names the lists it wants (here none of the declared) does without the others
    Path none = Files.writeString(dir.resolve("other.txt"), "192.0.2.1\n");
    Path some = Files.writeString(dir.resolve("s.yaml"), "lists:\n  - {name: cc-watch, path: " + list + ", role: cc}\n"
        + "  - {name: other, path: " + none + "}\ndetectors:\n  Intel::Listed:\n    lists: [other]\n");
    Run s = Run.of("replay", "-q", "--config", some.toString(), TestFiles.data("devsim/zeek-package").toString());
    assertEquals(0, s.code(), s.err());
    List<JsonNode> sn = Notices.parse(s.out());
    assertTrue(Notices.of(sn, "Intel::Listed").isEmpty(), s.out());
    assertFalse(Notices.of(sn, "DNS::ListedName").isEmpty(), "the DNS detector still uses every declared list");

    Path bad = Files.writeString(dir.resolve("b.yaml"), "lists:\n  - {name: cc-watch, path: " + list + ", role: cc}\n"
        + "enrichment:\n  lists: [cc-wach]\n");
    Run b = Run.of("check", "--config", bad.toString());
    assertEquals(2, b.code());
    assertEquals("bottrace: " + bad + ": key 'enrichment.lists[0]': no list named 'cc-wach' is declared in the top-level"
        + " lists (declared: [cc-watch])\n", b.err());
  }
}
