package org.bottrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bottrace.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunCommandTest {
  @TempDir
  Path dir;

  @Test
  void run_nothingToFollowIsExit2() {
    Run r = Run.of("run");
    assertEquals(2, r.code());
    assertEquals("bottrace: command line: nothing to follow: give --zeek-dir, --eve or --log (or follow.zeek_dir,"
        + " follow.eve, follow.logs)\n", r.err());
  }

  @Test
  void run_missingZeekDirIsExit2() {
    Run r = Run.of("run", "--zeek-dir", dir.resolve("nope").toString());
    assertEquals(2, r.code());
    assertEquals("bottrace: command line: key '--zeek-dir': no such folder: " + dir.resolve("nope") + "\n", r.err());
  }

  @Test
  void run_badFollowKeyIsExit2() throws Exception {
    Path cfg = dir.resolve("c.yaml");
    Files.writeString(cfg, "follow:\n  poll_interval: 0s\n");
    Run r = Run.of("run", "--config", cfg.toString());
    assertEquals(2, r.code());
    assertEquals("bottrace: " + cfg + ": key 'follow.poll_interval': expected a positive duration, found PT0S\n",
        r.err());
  }

  @Test
  void run_stopWhenIdle_readsFromStartEndsLikeReplayAndCheckpoints() throws Exception {
    Path zeek = Files.createDirectories(dir.resolve("zeek"));
    Files.copy(Path.of("src/test/resources/data/devsim/zeek/irc.log"), zeek.resolve("irc.log"));
    Path out = dir.resolve("n.json");
    Run r = Run.of("run", "--zeek-dir", zeek.toString(), "--from-start", "--stop-when-idle", "1s", "--out",
        out.toString(), "--state-dir", dir.resolve("state").toString(), "--status-file",
        dir.resolve("status.json").toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(Run.of("replay", "-q", zeek.resolve("irc.log").toString()).out(), Files.readString(out));
    JsonNode cp = new ObjectMapper().readTree(dir.resolve("state/checkpoint.json").toFile());
    assertEquals(1, cp.get("version").asInt());
    assertEquals(Files.size(out), cp.get("notices").get("size").asLong());
    JsonNode irc = null;
    for (JsonNode i : cp.get("inputs")) {
      if (i.get("path").asText().endsWith("irc.log")) {
        irc = i;
      }
    }
    assertEquals(Files.size(zeek.resolve("irc.log")), irc.get("position").get("offset").asLong());
    assertTrue(new ObjectMapper().readTree(dir.resolve("status.json").toFile()).get("sources").isArray());
    // a second run resumes at the end: nothing new, nothing repeated
    Run again = Run.of("run", "--zeek-dir", zeek.toString(), "--stop-when-idle", "1s", "--out", out.toString(),
        "--state-dir", dir.resolve("state").toString());
    assertEquals(0, again.code(), again.err());
    assertEquals(Run.of("replay", "-q", zeek.resolve("irc.log").toString()).out(), Files.readString(out));
    assertTrue(again.err().contains("resuming from the checkpoint"), again.err());
  }
}
