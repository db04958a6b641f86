package org.bottrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An IRC flood: 100,000 sessions to one server (NICK, USER, JOIN each, as anyone who can open IRC
 * sessions through the monitored network can make), followed by {@code bottrace run} with the heap of the
 * shipped systemd unit (-Xmx512m). It must finish, with the server's sessions held to max_clients and
 * what was forgotten counted and said, and checkpoint on the way.
 */
class MemoryIT {
  @TempDir
  Path dir;

  static final int SESSIONS = 100_000;

  private Path flood() throws Exception {
    Path zeek = Files.createDirectories(dir.resolve("zeek"));
    List<String> header = Files.readAllLines(Path.of("src/test/resources/data/devsim/zeek/irc.log")).subList(0, 8);
    try (BufferedWriter w = Files.newBufferedWriter(zeek.resolve("irc.log"))) {
      for (String h : header) {
        w.write(h);
        w.write('\n');
      }
      long t0 = 1_795_300_000_000_000L;
      for (int i = 0; i < SESSIONS; i++) {
        long ts = t0 + i * 10_000L; // one every 10 ms: 1,000 s of log time
        String host = "10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255);
        String uid = "C" + Integer.toString(i, 36) + "flood";
        String prefix = "\t" + uid + "\t" + host + "\t" + (40000 + i % 20000) + "\t198.51.100.7\t6667\t";
        String nick = "u" + Integer.toString(i * 7919 % 1_000_003, 36);
        for (int k = 0; k < 3; k++) {
          String sec = String.format("%d.%06d", (ts + k * 1000) / 1_000_000, (ts + k * 1000) % 1_000_000);
          w.write(sec);
          w.write(prefix);
          w.write(switch (k) {
            case 0 -> "-\t-\tNICK\t" + nick + "\t-";
            case 1 -> nick + "\t-\tUSER\t" + nick + "\t0 * " + nick;
            default -> nick + "\t" + nick + "\tJOIN\t#lobby\t-";
          });
          w.write("\t-\t-\t-\t-\n");
        }
      }
    }
    return zeek;
  }

  @Test
  void ircFloodUnderTheShippedHeap_finishesWithBoundedStateAndCountedEvictions() throws Exception {
    Path zeek = flood();
    Path state = dir.resolve("state");
    Path out = dir.resolve("notices.json");
    Path log = dir.resolve("run.log");
    Process p = new ProcessBuilder(FollowIT.javaBin(), "-Xmx512m", "-jar", FollowIT.JAR.toString(), "run",
        "--zeek-dir", zeek.toString(), "--from-start", "--stop-when-idle", "2s", "--state-dir", state.toString(),
        "--out", out.toString(), "--status-file", dir.resolve("status.json").toString()).redirectErrorStream(true)
        .redirectOutput(log.toFile()).start();
    assertTrue(p.waitFor(10, TimeUnit.MINUTES), "finished");
    String said = Files.readString(log);
    assertEquals(0, p.exitValue(), said);
    assertTrue(said.contains("IRC::Botnet: server 198.51.100.7:6667 has more than max_clients (10000) sessions; the"
        + " least recently active are forgotten (counted as irc.sessions in the status and the summary)"), said);
    JsonNode status = new ObjectMapper().readTree(dir.resolve("status.json").toFile());
    long forgotten = status.path("evicted").path("irc.sessions").asLong();
    assertTrue(forgotten >= 90_000 && forgotten < 100_000, "most of them forgotten, counted: " + status.get("evicted"));
    String line = said.lines().filter(l -> l.startsWith("bottrace run: ") && l.contains(" evicted")).reduce((x, y) -> y)
        .orElse("");
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("; state \\d+ entries, (\\d+) evicted$").matcher(line);
    assertTrue(m.find() && Long.parseLong(m.group(1)) >= forgotten, "summed in the status line: " + line);
    JsonNode cp = new ObjectMapper().readTree(state.resolve("checkpoint.json").toFile());
    JsonNode servers = cp.get("state").get("caches").get("irc.botnet_servers");
    assertEquals(1, servers.size());
    int clients = servers.get(0).get("v").get("clients").size();
    assertTrue(clients <= 10_000 && clients >= 9_000, "sessions held to max_clients: " + clients);
    long sessions = Files.lines(out).filter(l -> l.contains("\"note\":\"IRC::ControlSession\"")).count();
    assertEquals(SESSIONS, sessions, "each session reported once, also those forgotten (before they were)");
  }

  @Test
  void heapTooSmallForTheBounds_isExit5WithALineSayingWhatToChange() throws Exception {
    Path zeek = flood();
    org.bottrace.Run r = org.bottrace.Run.jar(List.of("-Xmx40m"), "replay", "-q", zeek.toString(), "--out",
        dir.resolve("n.json").toString());
    assertEquals(5, r.code(), r.err());
    assertTrue(r.err().contains("bottrace: out of memory (heap "), r.err());
    assertTrue(r.err().contains("lower the state bounds (state.max_entries, IRC::Botnet.max_servers/max_clients/"
        + "max_lines)"), r.err());
    assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
  }
}
