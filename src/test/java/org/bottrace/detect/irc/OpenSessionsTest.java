package org.bottrace.detect.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A C&amp;C session that stays up never reaches conn.log while it is open. corelight's long-connections
 * (conn_long.log) and activecm's zeek-open-connections (open_conn.log) write conn.log's columns for open
 * connections at intervals: bottrace reads them, so the long stay of bots still connected counts, and
 * they are never taken for finished connections.
 */
class OpenSessionsTest {
  @TempDir
  Path dir;

  /**
   * devsim's irc.log, and for every IRC session of its conn.log the row the package writes three hours
   * in, the session still open (conn.log itself is left out: nothing has ended).
   */
  private Path stillOpen(String log) throws Exception {
    Path z = Files.createDirectories(dir.resolve("zeek"));
    Files.copy(TestFiles.data("devsim/zeek/irc.log"), z.resolve("irc.log"));
    List<String> out = new ArrayList<>();
    for (String l : Files.readAllLines(TestFiles.data("devsim/zeek/conn.log"))) {
      if (l.startsWith("#path")) {
        out.add("#path\t" + log);
      } else if (l.startsWith("#")) {
        out.add(l);
      } else if (l.split("\t")[7].equals("irc")) {
        String[] f = l.split("\t");
        f[8] = "10800.000000"; // duration so far
        f[11] = "S1"; // established, not closed
        out.add(String.join("\t", f));
      }
    }
    Files.write(z.resolve(log + ".log"), out);
    return z;
  }

  @Test
  void sessionsStillOpen_giveTheBotsTheirLongStay() throws Exception {
    for (String log : List.of("conn_long", "open_conn")) {
      Run r = Run.of("replay", stillOpen(log).toString());
      assertEquals(0, r.code(), r.err());
      List<JsonNode> n = Notices.parse(r.out());
      Set<String> stayed = new TreeSet<>();
      for (JsonNode b : Notices.of(n, "IRC::BotClient")) {
        if (Notices.strings(b.get("evidence").get("mechanisms")).contains("long_stay")) {
          stayed.add(b.get("src").asText());
        }
      }
      assertEquals(DevsimBotnetTestAccess.hosts("bot"), stayed, log + ": every bot, 3 h into its session");
      assertEquals(List.of(), Notices.of(n, "Scan::Propagation"), "open sessions are not connection attempts");
      Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(java.io.File::delete);
    }
  }

  @Test
  void followingTheLiveFolder_namesTheCcWhileTheSessionsAreOpen() throws Exception {
    Path z = stillOpen("conn_long");
    Path out = dir.resolve("notices.json");
    Path status = dir.resolve("status.json");
    Run r = Run.of("run", "--zeek-dir", z.toString(), "--from-start", "--stop-when-idle", "1s", "--out", out.toString(),
        "--status-file", status.toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> n = Notices.parse(Files.readString(out));
    assertEquals(Set.of("85.17.184.21"), Notices.of(n, "IRC::CCServer").stream().map(x -> x.get("dst").asText())
        .collect(java.util.stream.Collectors.toSet()));
    assertTrue(Notices.of(n, "IRC::BotClient").stream().anyMatch(b -> Notices.strings(b.get("evidence")
        .get("mechanisms")).contains("long_stay")), "the bots' stay so far counts while they are connected");
    boolean followed = false;
    for (JsonNode src : new com.fasterxml.jackson.databind.ObjectMapper().readTree(status.toFile()).get("sources")) {
      followed |= src.get("path").asText().endsWith("conn_long.log") && src.get("lines").asLong() > 0;
    }
    assertTrue(followed, "conn_long.log followed: " + Files.readString(status));
  }
}
