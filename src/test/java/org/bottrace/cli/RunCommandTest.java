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

  /**
   * A Suricata log folder as Suricata leaves it: eve.json beside its text logs (lines of the shape Suricata
   * 7 writes them).
   */
  static Path suricataFolder(Path dir) throws java.io.IOException {
    Path s = Files.createDirectories(dir.resolve("suricata"));
    Files.copy(Path.of("examples/logs/suricata/eve.json"), s.resolve("eve.json"));
    Files.writeString(s.resolve("fast.log"), "11/22/2026-01:10:29.687942  [**] [1:2002025:18] ET CHAT IRC JOIN command"
        + " [**] [Classification: Misc activity] [Priority: 3] {TCP} 127.1.0.48:54709 -> 127.0.0.20:6667\n");
    Files.writeString(s.resolve("stats.log"), "------------------------------------------------------------------------"
        + "------------\nDate: 11/22/2026 -- 01:10:37 (uptime: 0d, 00h 00m 08s)\n");
    Files.writeString(s.resolve("suricata.log"), "[4177 - Suricata-Main] 2026-11-22 01:10:29 Notice: suricata: This is"
        + " Suricata version 7.0.10 RELEASE running in USER mode\n");
    return s;
  }

  @Test
  void run_noticesToDevNull_withCheckpoints_twice() throws Exception {
    Path s = suricataFolder(dir);
    for (int i = 0; i < 2; i++) { // the second resumes from the checkpoint the first wrote
      Run r = Run.of("run", "--eve", s.toString(), "--from-start", "--stop-when-idle", "1s", "--out", "/dev/null",
          "--state-dir", dir.resolve("state").toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(!r.err().contains("cannot"), r.err());
    }
    assertTrue(Files.readString(dir.resolve("state/checkpoint.json")).contains("\"inputs\""));
  }

  @Test
  void run_eveGivenAsSuricatasFolder_followsItsEveJsonOnly() throws Exception {
    Path s = suricataFolder(dir);
    Path out = dir.resolve("n.json");
    Run r = Run.of("run", "--eve", s.toString(), "--from-start", "--stop-when-idle", "1s", "--out", out.toString(),
        "--state-dir", dir.resolve("state").toString());
    assertEquals(0, r.code(), r.err());
    String replay = Run.of("replay", "-q", s.resolve("eve.json").toString()).out();
    assertTrue(replay.lines().count() > 5, replay);
    assertEquals(replay, Files.readString(out));
    assertTrue(!r.err().contains("malformed line:"), r.err());
  }

  @Test
  void run_writesTheSameFeedbackFilesAsReplay() throws Exception {
    Path s = suricataFolder(dir);
    Path live = dir.resolve("fb-run");
    Path replayed = dir.resolve("fb-replay");
    Run r = Run.of("run", "--config", "examples/bottrace.yaml", "--eve", s.toString(), "--from-start",
        "--stop-when-idle", "1s", "--out", dir.resolve("n.json").toString(), "--feedback-dir", live.toString());
    assertEquals(0, r.code(), r.err());
    Run p = Run.of("replay", "-q", "--config", "examples/bottrace.yaml", "--feedback-dir", replayed.toString(),
        s.resolve("eve.json").toString());
    assertEquals(0, p.code(), p.err());
    String intel = Files.readString(live.resolve("bottrace.intel"));
    assertTrue(intel.contains("127.0.0.20\tIntel::ADDR\t"), intel);
    for (String f : new String[] {"bottrace.intel", "bottrace-cc-ip.lst", "bottrace-cc-names.lst", "bottrace-iprep.list"}) {
      assertEquals(Files.readString(replayed.resolve(f)), Files.readString(live.resolve(f)), f);
    }
  }

  @Test
  void run_nothingToFollowIsExit2() {
    Run r = Run.of("run");
    assertEquals(2, r.code());
    assertEquals("bottrace: command line: nothing to follow: give --zeek-dir, --eve, --log or --kafka-topic (or"
        + " follow.zeek_dir, follow.eve, follow.logs, kafka.topics)\n", r.err());
  }

  @Test
  void run_kafkaTopicWithoutCluster_andBadKafkaKeys_areExit2NamingTheKey() throws Exception {
    Run r = Run.of("run", "--kafka-topic", "zeek");
    assertEquals(2, r.code());
    assertEquals("bottrace: command line: key '--kafka-topic': needs the Kafka cluster: give --kafka HOST:PORT (or"
        + " kafka.bootstrap_servers)\n", r.err());
    String[][] cases = {
        {"kafka:\n  topics: [zeek]\n", "key 'kafka.bootstrap_servers': missing: kafka.topics and kafka.notices_topic"
            + " need the Kafka cluster's host:port (or --kafka)"},
        {"kafka:\n  bootstrap_servers: localhost:9092\n", "key 'kafka.topics': the Kafka cluster is given but no topic"
            + " to read (--kafka-topic, kafka.topics) or to write notices to (--notices-topic, kafka.notices_topic)"},
        {"kafka:\n  bootstrap_servers: localhost:9092\n  topics: ['zeek logs']\n", "key 'kafka.topics': expected Kafka"
            + " topic names (letters, digits, '.', '_', '-'), found 'zeek logs'"},
        {"kafka:\n  bootstrap_servers: localhost:9092\n  topics: [flows]\n  topic_logs: {flows: netflow}\n",
            "key 'kafka.topic_logs.flows': expected a Zeek log bottrace reads (conn, conn_long, open_conn, irc_open, irc,"
                + " irc_cmd, irc_pkt, dns, http, files, pe, ssl), found 'netflow'"},
        {"kafka:\n  bootstrap_servers: localhost:9092\n  topics: [zeek]\n  properties: {group.id: x}\n",
            "key 'kafka.properties.group.id': set by bottrace (bootstrap_servers, group_id) or fixed by it; remove it"},
        {"kafka:\n  bootstrap_servers: localhost:9092\n  topic: [zeek]\n", "key 'kafka.topic': unknown key"},
    };
    for (String[] c : cases) {
      Path cfg = dir.resolve("kafka.yaml");
      Files.writeString(cfg, c[0]);
      Run k = Run.of("run", "--config", cfg.toString());
      assertEquals(2, k.code(), k.err());
      assertTrue(k.err().startsWith("bottrace: " + cfg + ": " + c[1]), k.err());
    }
  }

  @Test
  void run_kafkaOutOfReach_isExit2NamingTheClusterAfterTheTimeout() throws Exception {
    Path cfg = dir.resolve("kafka.yaml");
    Files.writeString(cfg, "kafka:\n  bootstrap_servers: 127.0.0.1:1\n  topics: [zeek]\n  timeout: 1s\n");
    Run r = Run.of("run", "--config", cfg.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("bottrace: " + cfg + ": key 'kafka.bootstrap_servers': cannot reach Kafka at 127.0.0.1:1: "),
        r.err());
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

  /**
   * IRC::Botnet's state survives a restart: the first run sees devsim's irc.log up to the third bot (a
   * channel of four, no verdict), the second the rest after resuming from the checkpoint. All 8 bots are
   * found only if the first three bots' joins came back from the checkpoint.
   */
  @Test
  void run_botnetStateComesBackFromTheCheckpoint() throws Exception {
    Path zeek = Files.createDirectories(dir.resolve("zeek"));
    java.util.List<String> lines = Files.readAllLines(Path.of("src/test/resources/data/devsim/zeek/irc.log"));
    int cut = 0;
    while (!lines.get(cut).contains("q7m2x9ka\tjeu\tJOIN")) {
      cut++;
    }
    Path irc = zeek.resolve("irc.log");
    Files.write(irc, lines.subList(0, cut + 1));
    Path out = dir.resolve("n.json");
    Path state = dir.resolve("state");
    Run first = Run.of("run", "--zeek-dir", zeek.toString(), "--from-start", "--stop-when-idle", "1s", "--out",
        out.toString(), "--state-dir", state.toString());
    assertEquals(0, first.code(), first.err());
    assertTrue(!Files.readString(out).contains("IRC::BotClient"), "four members are no botnet channel yet");
    assertTrue(Files.readString(state.resolve("checkpoint.json")).contains("irc.botnet_servers"));
    Files.write(irc, lines.subList(cut + 1, lines.size()), java.nio.file.StandardOpenOption.APPEND);
    Run second = Run.of("run", "--zeek-dir", zeek.toString(), "--stop-when-idle", "1s", "--out", out.toString(),
        "--state-dir", state.toString());
    assertEquals(0, second.code(), second.err());
    java.util.Set<String> bots = new java.util.TreeSet<>();
    for (JsonNode n : org.bottrace.Notices.parse(Files.readString(out))) {
      if (n.get("note").asText().equals("IRC::BotClient")) {
        bots.add(n.get("src").asText());
      }
    }
    assertEquals(org.bottrace.detect.irc.DevsimBotnetTestAccess.hosts("bot"), bots);
  }
}
