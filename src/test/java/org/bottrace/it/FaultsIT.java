package org.bottrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.bottrace.Run;
import org.bottrace.Tmpfs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bottrace run}, the packaged jar in its own process, when the disk fills, the checkpoint is
 * damaged, an input cannot be read, a path is not what it should be or the heap runs out: one line naming
 * the path and the cause, the documented exit code, and after the fault is gone a restart ends with the
 * notices of the same runs without it.
 */
class FaultsIT {
  @TempDir
  Path dir;

  private static final Path IRC = Path.of("src/test/resources/data/devsim/zeek/irc.log");

  /** devsim's irc.log up to the third bot's JOIN in the live folder; returns the rest. */
  private List<String> firstPart(Path zeek) throws Exception {
    List<String> lines = Files.readAllLines(IRC);
    int cut = 0;
    while (!lines.get(cut).contains("q7m2x9ka\tjeu\tJOIN")) {
      cut++;
    }
    Files.createDirectories(zeek);
    Files.write(zeek.resolve("irc.log"), lines.subList(0, cut + 1));
    return lines.subList(cut + 1, lines.size());
  }

  private static Run run(Path zeek, Path out, Path state) throws Exception {
    return Run.jar(List.of(), "run", "--zeek-dir", zeek.toString(), "--from-start", "--stop-when-idle", "1s", "--out",
        out.toString(), "--state-dir", state.toString());
  }

  /**
   * What the same two runs write with nothing going wrong: the first over the first part, the second
   * after the rest was appended ({@code --stop-when-idle} ends the first run's input, as a replay's end
   * does, so two runs are not one replay).
   */
  private String uninterrupted() throws Exception {
    Path base = Files.createDirectories(dir.resolve("baseline"));
    Path zeek = base.resolve("zeek");
    List<String> rest = firstPart(zeek);
    Path out = base.resolve("notices.json");
    assertEquals(0, run(zeek, out, base.resolve("state")).code());
    Files.write(zeek.resolve("irc.log"), rest, StandardOpenOption.APPEND);
    Run r = run(zeek, out, base.resolve("state"));
    assertEquals(0, r.code(), r.err());
    String notices = Files.readString(out);
    assertTrue(notices.contains("IRC::BotClient"), notices);
    return notices;
  }

  /** Space freed, a restart ends with what the two runs write when nothing goes wrong. */
  private void restartAfterFreeing(Tmpfs disk, Path zeek, Path out, Path state) throws Exception {
    disk.free();
    Run again = run(zeek, out, state);
    assertEquals(0, again.code(), again.err());
    assertEquals(uninterrupted(), Files.readString(out));
  }

  private static void oneLineNoTrace(Run r) {
    assertEquals(1, r.err().lines().filter(l -> l.startsWith("bottrace: ") && !l.startsWith("bottrace run:")
        && !l.contains("GeoIP")).count(), r.err());
    assertFalse(r.err().contains("\tat ") || r.err().contains("internal error"), r.err());
  }

  @Test
  void stateDiskFull_keepsTheCheckpointWholeExit3_andARestartAfterEndsLikeReplay() throws Exception {
    Path zeek = dir.resolve("zeek");
    List<String> rest = firstPart(zeek);
    Path out = dir.resolve("notices.json");
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), "1m", "")) {
      Path state = dir.resolve("disk/state");
      Run first = run(zeek, out, state);
      assertEquals(0, first.code(), first.err());
      byte[] good = Files.readAllBytes(state.resolve("checkpoint.json"));
      Files.write(zeek.resolve("irc.log"), rest, StandardOpenOption.APPEND);
      disk.fill(0);
      Run full = run(zeek, out, state);
      assertEquals(3, full.code(), full.err());
      assertTrue(full.err().contains("bottrace: cannot write the checkpoint in " + state + ": No space left on device"
          + " (the previous checkpoint is kept)"), full.err());
      oneLineNoTrace(full);
      assertEquals(new String(good), Files.readString(state.resolve("checkpoint.json")), "written whole or not at all");
      assertFalse(Files.exists(state.resolve("checkpoint.json.tmp")));
      restartAfterFreeing(disk, zeek, out, state);
    }
  }

  @Test
  void noticeDiskFull_isExit3NamingTheFile_andARestartAfterCutsTheTornLineAndEndsLikeReplay() throws Exception {
    Path zeek = dir.resolve("zeek");
    List<String> rest = firstPart(zeek);
    Path state = dir.resolve("state");
    try (Tmpfs disk = Tmpfs.mount(dir.resolve("disk"), "1m", "")) {
      Path out = dir.resolve("disk/notices.json");
      Run first = run(zeek, out, state);
      assertEquals(0, first.code(), first.err());
      long had = Files.size(out);
      Files.write(zeek.resolve("irc.log"), rest, StandardOpenOption.APPEND);
      disk.fill(0);
      Run full = run(zeek, out, state);
      assertEquals(3, full.code(), full.err());
      assertTrue(full.err().contains("bottrace: cannot write notices to " + out + ": No space left on device"),
          full.err());
      oneLineNoTrace(full);
      assertEquals(had, new ObjectMapper().readTree(state.resolve("checkpoint.json").toFile())
          .get("notices").get("size").asLong(), "no checkpoint covers what could not be written");
      restartAfterFreeing(disk, zeek, out, state);
    }
  }

  @Test
  void readOnlyStateFolder_isExit3NamingItAndTheCause() throws Exception {
    Path zeek = dir.resolve("zeek");
    firstPart(zeek);
    try (Tmpfs ro = Tmpfs.mount(dir.resolve("ro"), "64k", "ro")) {
      Run r = run(zeek, dir.resolve("n.json"), dir.resolve("ro"));
      assertEquals(3, r.code(), r.err());
      assertTrue(r.err().contains("bottrace: cannot write the checkpoint in " + dir.resolve("ro")
          + ": Read-only file system"), r.err());
      oneLineNoTrace(r);
    }
  }

  @Test
  void damagedCheckpoint_fallsBackToThePreviousOneWithAWarning_andEndsLikeReplay() throws Exception {
    Path zeek = dir.resolve("zeek");
    List<String> rest = firstPart(zeek);
    Path out = dir.resolve("notices.json");
    Path state = dir.resolve("state");
    Run first = run(zeek, out, state);
    assertEquals(0, first.code(), first.err());
    assertTrue(Files.exists(state.resolve("checkpoint.json.prev")), "the one before the last is kept");
    Files.writeString(state.resolve("checkpoint.json"), "{\"version\": 1, \"inputs\": [{\"path\": \"x\", \"posi");
    Files.write(zeek.resolve("irc.log"), rest, StandardOpenOption.APPEND);
    Run again = run(zeek, out, state);
    assertEquals(0, again.code(), again.err());
    assertTrue(again.err().contains("bottrace run: checkpoint: " + state.resolve("checkpoint.json")
        + ": not valid JSON ("), again.err());
    assertTrue(again.err().contains("; using the previous checkpoint, " + state.resolve("checkpoint.json.prev")),
        again.err());
    assertEquals(uninterrupted(), Files.readString(out));
  }

  @Test
  void checkpointValuesOfTheWrongType_areExit3InOneLine() throws Exception {
    Path zeek = dir.resolve("zeek");
    firstPart(zeek);
    Path out = dir.resolve("notices.json");
    Path state = dir.resolve("state");
    assertEquals(0, run(zeek, out, state).code());
    Files.delete(state.resolve("checkpoint.json.prev"));
    String cp = Files.readString(state.resolve("checkpoint.json"));
    for (String bad : List.of("\"abc\"", "-100", "null", "1.5")) {
      Files.writeString(state.resolve("checkpoint.json"), cp.replaceFirst("\"offset\":\\d+", "\"offset\":" + bad));
      Run r = run(zeek, out, state);
      assertEquals(3, r.code(), bad + ": " + r.err());
      assertEquals("bottrace: cannot use the checkpoint in " + state + ": " + state.resolve("checkpoint.json")
          + ": input " + zeek.resolve("irc.log") + ": offset is not a non-negative whole number: " + bad
          + " (move it away to start afresh)\n", r.err(), bad);
    }
  }

  @Test
  void unreadableInput_isSaidOnceAndRetriedWhileTheOthersGoOn_exit1() throws Exception {
    Path zeek = dir.resolve("zeek");
    firstPart(zeek);
    // reading /proc/self/mem at offset 0 fails with an I/O error, for root too (chmod would not stop root)
    Path eve = dir.resolve("eve.json");
    Files.createSymbolicLink(eve, Path.of("/proc/self/mem"));
    Path out = dir.resolve("notices.json");
    Run r = Run.jar(List.of(), "run", "--zeek-dir", zeek.toString(), "--eve", eve.toString(), "--from-start",
        "--stop-when-idle",
        "1s", "--out", out.toString(), "--state-dir", dir.resolve("state").toString());
    assertEquals(1, r.code(), r.err());
    assertEquals(1, r.err().lines().filter(l -> l.equals("bottrace: " + eve + ": cannot read (Input/output error);"
        + " trying again at every poll, the other inputs go on")).count(), r.err());
    assertTrue(Files.readString(out).contains("IRC::ControlSession"), "irc.log was read: " + r.err());
    // the file comes back: the next start reads it, and says so
    Files.delete(eve);
    Files.copy(Path.of("src/test/resources/data/devsim/suricata/eve.json"), eve);
    Run again = Run.jar(List.of(), "run", "--zeek-dir", zeek.toString(), "--eve", eve.toString(), "--stop-when-idle",
        "1s",
        "--out", out.toString(), "--state-dir", dir.resolve("state").toString());
    assertEquals(0, again.code(), again.err());
    assertTrue(Files.readString(out).contains("\"uids\":[\""), again.err());
  }

  @Test
  void pathsThatCannotBeWritten_areExit2BeforeAnythingIsRead() throws Exception {
    Path zeek = dir.resolve("zeek");
    firstPart(zeek);
    Run r = run(zeek, dir, dir.resolve("state"));
    assertEquals(2, r.code(), r.err());
    assertEquals("bottrace: command line: key '--out': " + dir + " is a folder, not a file\n", r.err());
    Path file = Files.writeString(dir.resolve("a-file"), "x");
    r = run(zeek, dir.resolve("n.json"), file);
    assertEquals(2, r.code(), r.err());
    assertEquals("bottrace: command line: key '--state-dir': " + file + " is a file, not a folder\n", r.err());
  }
}
