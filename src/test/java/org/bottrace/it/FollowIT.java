package org.bottrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bottrace run against logs written live, with the packaged jar in its own process: the notices
 * equal replay's for the same logs, uninterrupted, and after SIGTERM and kill -9 at random moments.
 */
class FollowIT {
  static final Path JAR = Path.of("target/bottrace.jar");
  static final String[] ZEEK = {"conn.log", "dns.log", "files.log", "http.log", "irc.log", "pe.log"};

  @TempDir
  Path dir;

  Path live() throws IOException {
    Path l = dir.resolve("live");
    Files.createDirectories(l.resolve("zeek")); // the sensor's folders exist before it writes
    Files.createDirectories(l.resolve("suricata"));
    return l;
  }

  LiveWriter devsimWriter(long pauseNanos) throws IOException {
    Map<Path, Path> zeek = new LinkedHashMap<>();
    for (String z : ZEEK) {
      zeek.put(TestFiles.data("devsim/zeek/" + z), live().resolve("zeek/" + z));
    }
    return new LiveWriter(zeek, Map.of(TestFiles.data("devsim/suricata/eve.json"), live().resolve("suricata/eve.json")),
        pauseNanos);
  }

  /**
   * What replay says about the logs as the sensors wrote them into the live folder: every line in order
   * of availability (devsim's eve.json is not: Suricata wrote some alerts late), Zeek's rotated away
   * midway, so the same records in the same files that the run followed.
   */
  String replayOfDevsim() throws IOException {
    Run r = Run.of("replay", "-q", live().resolve("zeek").toString(), live().resolve("suricata/eve.json").toString());
    assertEquals(0, r.code(), r.err());
    return r.out();
  }

  Process start(Path out, Path state, String... extra) throws IOException {
    Path cfg = dir.resolve("run.yaml");
    Files.writeString(cfg, "follow:\n  checkpoint_interval: 1s\n  poll_interval: 50ms\n");
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", JAR.toString(), "run", "--config", cfg.toString(),
        "--zeek-dir", live().resolve("zeek").toString(), "--eve", live().resolve("suricata/eve.json").toString(),
        "--from-start", "--stop-when-idle", "2s", "--state-dir", state.toString(), "--out", out.toString()));
    cmd.addAll(List.of(extra));
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("run.log").toFile())).start();
  }

  static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /** Runs until the logs are written and it stops by itself, interrupting it at random moments. */
  int runWithInterruptions(Path out, boolean interrupt, boolean kill, long seed) throws Exception {
    LiveWriter w = devsimWriter(4_000_000);
    Thread writer = new Thread(w);
    Files.createDirectories(live());
    Random rnd = new Random(seed);
    int runs = 0;
    while (true) {
      runs++;
      Process p = start(out, dir.resolve("state"));
      if (runs == 1) {
        awaitStarted(1); // the sensors start writing once it follows
        writer.start();
      }
      if (interrupt && !w.done && runs < 20) {
        awaitStarted(runs);
        boolean ended = p.waitFor(200 + rnd.nextInt(900), TimeUnit.MILLISECONDS);
        if (!ended) {
          if (kill) {
            p.destroyForcibly(); // SIGKILL
          } else {
            p.destroy(); // SIGTERM
          }
          int code = p.waitFor();
          if (!kill) {
            assertEquals(0, code, "SIGTERM ends bottrace run with exit code 0; log:\n" + Files.readString(dir.resolve("run.log")));
          }
        }
        continue;
      }
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bottrace run did not stop when idle");
      assertEquals(0, p.exitValue(), Files.readString(dir.resolve("run.log")));
      break;
    }
    writer.join();
    w.check();
    return runs;
  }

  /** Waits until the n-th run says it is following (its signal handlers are in place by then). */
  void awaitStarted(int n) throws Exception {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      Path log = dir.resolve("run.log");
      if (Files.exists(log)) {
        String s = Files.readString(log);
        int count = (s.length() - s.replace("bottrace run: following", "").length()) / "bottrace run: following".length();
        if (count >= n) {
          return;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("run " + n + " did not start");
  }

  @Test
  void uninterrupted_noticesEqualReplayOfTheSameLogs() throws Exception {
    Path out = dir.resolve("notices.json");
    int runs = runWithInterruptions(out, false, false, 1);
    assertEquals(replayOfDevsim(), Files.readString(out), Files.readString(dir.resolve("run.log")));
    assertTrue(runs >= 1);
  }

  @Test
  void sigtermAtRandomMoments_noticeFileIsByteIdentical() throws Exception {
    Path out = dir.resolve("notices.json");
    int runs = runWithInterruptions(out, true, false, 42);
    assertTrue(runs > 2, "the writer should outlast a few runs: " + runs);
    assertEquals(replayOfDevsim(), Files.readString(out), Files.readString(dir.resolve("run.log")));
  }

  @Test
  void kill9AtRandomMoments_noticeFileIsByteIdentical() throws Exception {
    Path out = dir.resolve("notices.json");
    int runs = runWithInterruptions(out, true, true, 7);
    assertTrue(runs > 2, "the writer should outlast a few runs: " + runs);
    assertEquals(replayOfDevsim(), Files.readString(out), Files.readString(dir.resolve("run.log")));
  }

  @Test
  void examples_zeekTsvZeekJsonAndEve_liveGiveReplaysNotices() throws Exception {
    Path ex = Path.of("examples/logs");
    String[] tsv = {"conn.log", "dns.log", "files.log", "http.log", "irc.log", "irc_cmd.log", "irc_pkt.log"};
    String[] json = {"conn.log", "dns.log", "files.log", "http.log", "irc.log", "irc_cmd.log", "irc_pkt.log"};
    Map<Path, Path> zeek = new LinkedHashMap<>();
    for (String z : tsv) {
      zeek.put(ex.resolve("zeek/" + z), live().resolve("zeek/" + z));
    }
    for (String z : json) {
      zeek.put(ex.resolve("zeek-branch-json/" + z), live().resolve("branch/" + z));
    }
    LiveWriter w = new LiveWriter(zeek, Map.of(ex.resolve("suricata/eve.json"), live().resolve("suricata/eve.json")),
        20_000_000);
    Files.createDirectories(live());
    Thread writer = new Thread(w);
    Path out = dir.resolve("notices.json");
    List<String> cmd = new ArrayList<>(List.of(javaBin(), "-jar", JAR.toString(), "run", "--config",
        "examples/bottrace.yaml", "--zeek-dir", live().resolve("zeek").toString(), "--eve",
        live().resolve("suricata/eve.json").toString(), "--from-start", "--stop-when-idle", "2s", "--out", out.toString()));
    List<String> replay = new ArrayList<>(List.of("replay", "-q", "--config", "examples/bottrace.yaml"));
    for (String z : tsv) {
      replay.add(ex.resolve("zeek/" + z).toString());
    }
    for (String z : json) {
      cmd.addAll(List.of("--log", live().resolve("branch/" + z).toString()));
      replay.add(ex.resolve("zeek-branch-json/" + z).toString());
    }
    replay.add(ex.resolve("suricata/eve.json").toString());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("run.log").toFile())).start();
    awaitStarted(1); // then the sensors start writing: nothing rotates away before it is read
    writer.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bottrace run did not stop when idle");
    writer.join();
    w.check();
    Run r = Run.of(replay.toArray(new String[0]));
    assertEquals(35, r.out().lines().count(), "18 verdicts and 17 host summaries");
    assertEquals(r.out(), Files.readString(out), Files.readString(dir.resolve("run.log")));
  }

  /**
   * bottrace's own counters of a run, read over JMX's remote port as jconsole or a JMX exporter reads them
   * (org.bottrace:type=run): the records read and the notices written, the same as the notice file holds.
   */
  @Test
  void jmx_theRunsCounters_readRemotely() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    Path out = dir.resolve("notices.json");
    Path ex = Path.of("examples/logs");
    Process p = new ProcessBuilder(javaBin(), "-Dcom.sun.management.jmxremote.port=" + port,
        "-Dcom.sun.management.jmxremote.rmi.port=" + port, "-Dcom.sun.management.jmxremote.host=127.0.0.1",
        "-Djava.rmi.server.hostname=127.0.0.1", "-Dcom.sun.management.jmxremote.authenticate=false",
        "-Dcom.sun.management.jmxremote.ssl=false", "-jar", JAR.toString(), "run", "--config", "examples/bottrace.yaml",
        "--zeek-dir", ex.resolve("zeek").toString(), "--eve", ex.resolve("suricata/eve.json").toString(),
        "--from-start", "--out", out.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("run.log").toFile())).start();
    long rows = 0;
    try (java.util.stream.Stream<Path> logs = Files.list(ex.resolve("zeek"))) {
      for (Path l : logs.filter(f -> f.toString().endsWith(".log")).toList()) {
        rows += Files.readAllLines(l).stream().filter(x -> !x.startsWith("#")).count();
      }
    }
    rows += Files.readAllLines(ex.resolve("suricata/eve.json")).size();
    javax.management.remote.JMXServiceURL url = new javax.management.remote.JMXServiceURL(
        "service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
    javax.management.ObjectName run = new javax.management.ObjectName("org.bottrace:type=run");
    long records = -1;
    long notices = -1;
    long lines = -2;
    try {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline && (records != rows || notices != lines || notices == 0)) {
        Thread.sleep(300);
        try (javax.management.remote.JMXConnector c = javax.management.remote.JMXConnectorFactory.connect(url)) {
          javax.management.MBeanServerConnection m = c.getMBeanServerConnection();
          if (!m.isRegistered(run)) {
            continue;
          }
          records = (Long) m.getAttribute(run, "Records");
          notices = (Long) m.getAttribute(run, "Notices");
          lines = Files.exists(out) ? Files.readAllLines(out).size() : -2;
          if (records == rows && notices == lines) {
            assertEquals(0L, m.getAttribute(run, "Malformed"));
            long byNote = 0;
            for (Object row : ((javax.management.openmbean.TabularData) m.getAttribute(run, "NoticesByNote")).values()) {
              byNote += (Long) ((javax.management.openmbean.CompositeData) row).get("value");
            }
            assertEquals(notices, byNote);
            assertTrue((Long) m.getAttribute(run, "StateEntries") > 0);
            assertTrue((Long) m.getAttribute(run, "UpdatedMillis") > System.currentTimeMillis() - 60_000);
          }
        } catch (java.io.IOException notYet) {
          // the JVM's agent is not listening yet
        }
      }
    } finally {
      new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    }
    assertEquals(rows, records, Files.readString(dir.resolve("run.log")));
    assertTrue(notices > 0, "notices: " + notices);
    assertEquals(lines, notices);
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("run.log")));
  }

  /**
   * The flow corpus as a company sensor had written it 14.5 minutes in: conn.log with the connections that
   * had ended (the bots' flood and scans, the patch day), irc_open.log with the sessions still open. Written
   * live, followed by bottrace run: the four bots are named with their C&C sessions still open, and the
   * notices are replay's.
   */
  @Test
  void flowCorpus_botsNamedWhileTheirSessionsAreOpen() throws Exception {
    Path src = TestFiles.data("flows/company/zeek-package");
    double end = new com.fasterxml.jackson.databind.ObjectMapper().readTree(TestFiles.data("flows/labels.json").toFile())
        .get("first_packet_epoch").asDouble() + 870;
    Path cut = Files.createDirectories(dir.resolve("cut"));
    for (String z : new String[] {"conn.log", "irc_open.log"}) {
      assertTrue(org.bottrace.ZeekLog.writtenBy(src.resolve(z), cut.resolve(z), end) > 10, z);
    }
    LiveWriter w = new LiveWriter(Map.of(cut.resolve("conn.log"), live().resolve("zeek/conn.log"),
        cut.resolve("irc_open.log"), live().resolve("zeek/irc_open.log")), Map.of(), 2_000_000);
    Thread writer = new Thread(w);
    Path out = dir.resolve("notices.json");
    String cfg = TestFiles.resource("fixtures/flows.yaml").toString();
    Process p = new ProcessBuilder(javaBin(), "-jar", JAR.toString(), "run", "--config", cfg, "--zeek-dir",
        live().resolve("zeek").toString(), "--from-start", "--stop-when-idle", "2s", "--out", out.toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("run.log").toFile())).start();
    awaitStarted(1);
    writer.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bottrace run did not stop when idle");
    writer.join();
    w.check();
    Run r = Run.of("replay", "-q", "--config", cfg, live().resolve("zeek").toString());
    assertEquals(r.out(), Files.readString(out), Files.readString(dir.resolve("run.log")));
    java.util.Set<String> bots = new java.util.TreeSet<>();
    for (com.fasterxml.jackson.databind.JsonNode n : Notices.of(Notices.parse(r.out()), "IRC::FlowBotnet")) {
      assertTrue(n.get("evidence").get("session").get("open").asBoolean(), n.toString());
      bots.add(n.get("src").asText());
    }
    assertEquals(java.util.Set.of("127.1.0.11", "127.1.0.12", "127.1.0.13", "127.1.0.14"), bots, r.out());
  }

  /** A run started with its state folder, and devsim's logs being written live beside it. */
  private record Live(LiveWriter writer, Thread thread, Path out, Process run) {}

  private Live startLive() throws Exception {
    LiveWriter w = devsimWriter(4_000_000);
    Thread writer = new Thread(w);
    Files.createDirectories(live());
    Path out = dir.resolve("notices.json");
    Process p = start(out, dir.resolve("state"));
    awaitStarted(1);
    writer.start();
    return new Live(w, writer, out, p);
  }

  @Test
  void sighup_reopensTheNoticeFileForLogrotate() throws Exception {
    Live l = startLive();
    LiveWriter w = l.writer();
    Thread writer = l.thread();
    Path out = l.out();
    Process p = l.run();
    while (!Files.exists(out) || Files.size(out) == 0) {
      Thread.sleep(20); // wait for the first notices
    }
    Files.move(out, dir.resolve("notices.json.1")); // what logrotate does, then it sends HUP
    assertEquals(0, new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "bottrace run did not stop when idle");
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("run.log")));
    writer.join();
    w.check();
    String rotated = Files.readString(dir.resolve("notices.json.1"));
    String fresh = Files.readString(out);
    assertTrue(!fresh.isEmpty(), "notices after the HUP go to the new file");
    assertEquals(replayOfDevsim(), rotated + fresh);
  }

  @Test
  void floodOfUsr1AndHupSignals_whileReading_changesNothing() throws Exception {
    Live l = startLive();
    LiveWriter w = l.writer();
    Thread writer = l.thread();
    Path out = l.out();
    Process p = l.run();
    // signals as fast as a shell sends them, from the start until the run stops by itself
    String pid = Long.toString(p.pid());
    Process flood = new ProcessBuilder("sh", "-c", "n=0; while kill -USR1 " + pid + " 2>/dev/null; do kill -HUP " + pid
        + " 2>/dev/null; n=$((n+2)); done; echo $n > " + dir.resolve("signals")).inheritIO().start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "bottrace run did not stop when idle");
    assertTrue(flood.waitFor(60, TimeUnit.SECONDS));
    assertTrue(Long.parseLong(Files.readString(dir.resolve("signals")).strip()) > 1000, "a flood");
    String log = Files.readString(dir.resolve("run.log"));
    assertEquals(0, p.exitValue(), log);
    assertTrue(!log.contains("ClosedByInterrupt") && !log.contains("internal error"), log);
    writer.join();
    w.check();
    assertEquals(replayOfDevsim(), Files.readString(out), "HUP reopens the same file: nothing lost or repeated");
  }
}
