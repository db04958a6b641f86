package org.bottrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka Streams application (target/bottrace-streams.jar) as its own processes against a real KRaft broker:
 * one instance writes replay's notices; three instances sharing three partitions (three sensors) write each
 * sensor's notices exactly once, also when one of them is killed with kill -9 while they work.
 */
class StreamsIT {
  static final Path JAR = Path.of("target/bottrace-streams.jar");

  @TempDir
  Path dir;

  @BeforeAll
  static void broker() throws Exception {
    KafkaIT.broker();
  }

  @AfterAll
  static void stop() throws Exception {
    KafkaIT.stop();
  }

  @Test
  void theMainJarHoldsNoStreamsNorRocksDb_theStreamsJarDoes() throws Exception {
    try (ZipFile main = new ZipFile(FollowIT.JAR.toFile()); ZipFile streams = new ZipFile(JAR.toFile())) {
      assertTrue(main.stream().noneMatch(e -> e.getName().startsWith("org/rocksdb/")
          || e.getName().startsWith("org/apache/kafka/streams/") || e.getName().startsWith("org/bottrace/streams/")));
      assertTrue(main.getEntry("org/apache/kafka/clients/consumer/KafkaConsumer.class") != null);
      assertTrue(streams.getEntry("org/rocksdb/RocksDB.class") != null);
      assertTrue(streams.getEntry("org/bottrace/streams/StreamsMain.class") != null);
      assertTrue(streams.getEntry("org/bottrace/cli/Main.class") != null);
    }
  }

  Path config(String prefix, List<String> topics, String extra) throws Exception {
    Path cfg = dir.resolve("streams.yaml");
    StringBuilder t = new StringBuilder();
    for (String x : topics) {
      t.append(t.length() == 0 ? "" : ", ").append(prefix).append(x);
    }
    Files.writeString(cfg, "kafka:\n  bootstrap_servers: " + KafkaIT.bootstrap + "\n  topics: [" + t + "]\n"
        + "  notices_topic: " + prefix + "notices\n"
        + "streams:\n  application_id: " + prefix + "bottrace\n  snapshot_records: 100\n  report_when_idle: 3s\n"
        + "  properties:\n    replication.factor: '1'\n    session.timeout.ms: '6000'\n"
        + "    heartbeat.interval.ms: '1000'\n    commit.interval.ms: '200'\n" + extra);
    return cfg;
  }

  Process instance(Path cfg, int n) throws Exception {
    List<String> cmd = List.of(FollowIT.javaBin(), "-jar", JAR.toString(), "--config", cfg.toString(), "--state-dir",
        dir.resolve("state-" + n).toString());
    return new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("instance-" + n + ".log").toFile())).start();
  }

  String logs() throws Exception {
    StringBuilder b = new StringBuilder();
    try (var s = Files.list(dir)) {
      for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".log")).sorted().toList()) {
        b.append("== ").append(p.getFileName()).append('\n').append(Files.readString(p));
      }
    }
    return b.toString();
  }

  /** Waits until the notices topic holds {@code n} notices (read committed), or the time is up; what it holds. */
  static List<String> awaitNotices(String topic, int n, long seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    List<String> got = List.of();
    while (System.nanoTime() < deadline) {
      got = new ArrayList<>();
      for (ConsumerRecord<String, String> r : KafkaIT.consume(topic)) {
        got.add(r.value());
      }
      if (got.size() >= n) {
        Thread.sleep(4000); // and nothing more comes
        List<String> again = new ArrayList<>();
        for (ConsumerRecord<String, String> r : KafkaIT.consume(topic)) {
          again.add(r.value());
        }
        return again;
      }
      Thread.sleep(500);
    }
    return got;
  }

  /** devsim's records, each log to its topic, as partition {@code p} (sensor p) of each; in write order. */
  static void produce(String prefix, LiveWriter order, int partitions) {
    try (KafkaProducer<String, String> p = KafkaIT.producer()) {
      for (LiveWriter.Line l : order.lines()) {
        String topic = l.zeek() ? l.target().getFileName().toString().replace(".log", "") : "eve";
        for (int part = 0; part < partitions; part++) {
          p.send(new ProducerRecord<>(prefix + topic, part, null, l.text()));
        }
      }
    }
  }

  @Test
  void oneInstance_writesReplaysNotices() throws Exception {
    Map<String, Integer> topics = withNotices(1);
    topics.put("dead", 1);
    String prefix = KafkaIT.topics(topics);
    LiveWriter order = LiveWriter.devsimInWriteOrder(dir.resolve("live"));
    String expected = KafkaIT.replay(dir.resolve("live/zeek"), dir.resolve("live/eve.json"));
    try (KafkaProducer<String, String> bad = KafkaIT.producer()) {
      bad.send(new ProducerRecord<>(prefix + "conn", 0, "k1", "not json"));
    }
    produce(prefix, order, 1);
    Process p = instance(deadLetters(config(prefix, new ArrayList<>(KafkaIT.PER_LOG.keySet()), ""), prefix + "dead"), 1);
    try {
      List<String> got = awaitNotices(prefix + "notices", (int) expected.lines().count(), 120);
      assertEquals(expected, String.join("\n", got) + "\n", logs());
      // the record it could not read, as it was, with where it came from and why (read committed: in the
      // task's transaction)
      List<ConsumerRecord<String, String>> dead = KafkaIT.consume(prefix + "dead");
      assertEquals(1, dead.size(), logs());
      assertEquals("k1", dead.get(0).key());
      assertEquals("not json", dead.get(0).value());
      Map<String, String> h = new java.util.HashMap<>();
      for (org.apache.kafka.common.header.Header x : dead.get(0).headers()) {
        h.put(x.key(), new String(x.value(), java.nio.charset.StandardCharsets.UTF_8));
      }
      assertEquals(Map.of("bottrace.topic", prefix + "conn", "bottrace.partition", "0", "bottrace.offset", "0",
          "bottrace.reason", "not a JSON object"), h);
    } finally {
      p.destroy();
      assertTrue(p.waitFor(60, TimeUnit.SECONDS), "TERM stops an instance");
    }
    assertEquals(0, p.exitValue(), logs());
  }

  static Map<String, Integer> withNotices(int partitions) {
    Map<String, Integer> t = new LinkedHashMap<>();
    for (String k : KafkaIT.PER_LOG.keySet()) {
      t.put(k, partitions);
    }
    t.put("notices", 1);
    return t;
  }

  @Test
  void threeInstancesOnThreeSensors_oneKilled_eachNoticeExactlyOnce() throws Exception {
    String prefix = KafkaIT.topics(withNotices(3));
    LiveWriter order = LiveWriter.devsimInWriteOrder(dir.resolve("live"));
    String one = KafkaIT.replay(dir.resolve("live/zeek"), dir.resolve("live/eve.json"));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      expected.addAll(one.lines().toList()); // each sensor's partition gives its own notices
    }
    Collections.sort(expected);
    Path cfg = config(prefix, new ArrayList<>(KafkaIT.PER_LOG.keySet()), "");
    List<Process> ps = new ArrayList<>();
    try {
      // the records are there first (a catch-up): each task then merges its partitions in replay's order, so the
      // notices must be replay's byte for byte; live, a partition whose newest records are not fetched yet does
      // not hold a task, and a notice's evidence may differ by that order (as with run --kafka)
      produce(prefix, order, 3);
      for (int i = 1; i <= 3; i++) {
        ps.add(instance(cfg, i));
      }
      awaitLine("RUNNING", 3, 90);
      Thread.sleep(1000);
      ps.get(1).destroyForcibly(); // kill -9 while they work, before they report; its tasks move to the other two
      List<String> got = awaitNotices(prefix + "notices", expected.size(), 180);
      Collections.sort(got);
      assertEquals(expected, got, logs());
    } finally {
      for (Process p : ps) {
        p.destroy();
      }
      for (Process p : ps) {
        p.waitFor(60, TimeUnit.SECONDS);
      }
    }
    assertFalse(ps.get(1).isAlive());
  }

  /** Waits until {@code n} instance logs say {@code what}. */
  void awaitLine(String what, int n, long seconds) throws Exception {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() < deadline) {
      int c = 0;
      for (int i = 1; i <= n; i++) {
        Path l = dir.resolve("instance-" + i + ".log");
        if (Files.exists(l) && Files.readString(l).contains("-> " + what)) {
          c++;
        }
      }
      if (c >= n) {
        return;
      }
      Thread.sleep(200);
    }
    throw new AssertionError("not every instance reached " + what + ":\n" + logs());
  }

  /** The configuration {@code cfg} with kafka.dead_letter_topic set (a kafka: key added to its section). */
  Path deadLetters(Path cfg, String topic) throws Exception {
    Files.writeString(cfg, Files.readString(cfg).replace("kafka:\n", "kafka:\n  dead_letter_topic: " + topic + "\n"));
    return cfg;
  }

  @Test
  void aTopicThatDoesNotExist_isExit2NamingItsKey_andIsNotMade() throws Exception {
    String prefix = KafkaIT.topics(withNotices(1));
    Path cfg = deadLetters(config(prefix, List.of("conn"), ""), prefix + "no-such-dead");
    Process p = new ProcessBuilder(FollowIT.javaBin(), "-jar", JAR.toString(), "--config", cfg.toString())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), out);
    assertEquals("bottrace-streams: " + cfg + ": key 'kafka.dead_letter_topic': topic " + prefix + "no-such-dead does"
        + " not exist (topic " + prefix + "no-such-dead, Kafka at " + KafkaIT.bootstrap + ")\n", out);
    try (org.apache.kafka.clients.admin.Admin a = org.apache.kafka.clients.admin.Admin.create(Map.of("bootstrap.servers",
        KafkaIT.bootstrap))) {
      assertTrue(!a.listTopics().names().get().contains(prefix + "no-such-dead"));
    }
  }

  @Test
  void badConfiguration_isExit2NamingTheKey() throws Exception {
    List<String> cmd = List.of(FollowIT.javaBin(), "-jar", JAR.toString(), "--kafka", KafkaIT.bootstrap,
        "--kafka-topic", "zeek");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(2, p.exitValue(), out);
    assertEquals("bottrace-streams: command line: key 'kafka.notices_topic': no topic for the notices: give"
        + " --notices-topic\n", out);
  }
}
