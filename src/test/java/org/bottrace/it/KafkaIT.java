package org.bottrace.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bottrace run reading what zeek-kafka and Filebeat write to a real single-node KRaft broker (Kafka's own test
 * kit, started here), as its own process: the notices equal replay's of the same logs, to a file and to a
 * topic, and after kill -9 at random moments the notice file is byte-identical.
 */
class KafkaIT {
  static final Path ZEEK_JSON = TestFiles.data("devsim/zeek-json");
  static final Path EVE = TestFiles.data("devsim/suricata/eve.json");
  static final List<String> LOGS = LiveWriter.DEVSIM_JSON_LOGS;
  /** zeek-kafka with a topic per log (its empty topic_name), and EVE's own: one partition each. */
  static final Map<String, Integer> PER_LOG = new LinkedHashMap<>();
  static {
    for (String l : LOGS) {
      PER_LOG.put(l, 1);
    }
    PER_LOG.put("eve", 1);
  }
  static KafkaClusterTestKit cluster;
  static String bootstrap;
  static int topicsMade;

  @TempDir
  Path dir;

  @BeforeAll
  static void broker() throws Exception {
    cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
        .setNumControllerNodes(1).build())
        // one broker: the internal topics (group offsets, transactions) get one replica
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1").build();
    cluster.format();
    cluster.startup();
    cluster.waitForReadyBrokers();
    bootstrap = cluster.bootstrapServers();
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Topics of their own for each test (names prefixed), one partition each unless said. */
  static String topics(Map<String, Integer> partitions) throws Exception {
    String prefix = "t" + (++topicsMade) + "-";
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin a = Admin.create(p)) {
      List<NewTopic> n = new ArrayList<>();
      for (Map.Entry<String, Integer> e : partitions.entrySet()) {
        n.add(new NewTopic(prefix + e.getKey(), e.getValue(), (short) 1));
      }
      a.createTopics(n).all().get(30, TimeUnit.SECONDS);
    }
    return prefix;
  }

  static KafkaProducer<String, String> producer() {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    return new KafkaProducer<>(p);
  }

  static List<String> lines(Path p) throws Exception {
    return Files.readAllLines(p, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
  }

  /** What replay says about the same logs, read from their files. */
  static String replay() {
    return replay(ZEEK_JSON, EVE);
  }

  static String replay(Path zeekDir, Path eve) {
    Run r = Run.of("replay", "-q", zeekDir.toString(), eve.toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("IRC::"), "the devsim capture gives IRC notices:\n" + r.out());
    return r.out();
  }

  Process run(String... args) throws Exception {
    Path cfg = dir.resolve("run.yaml");
    Files.writeString(cfg, "follow:\n  checkpoint_interval: 1s\n  poll_interval: 50ms\n");
    List<String> cmd = new ArrayList<>(List.of(FollowIT.javaBin(), "-jar", FollowIT.JAR.toString(), "run", "--config",
        cfg.toString(), "--kafka", bootstrap, "--from-start", "--stop-when-idle", "2s"));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(false)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("run.out").toFile()))
        .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve("run.log").toFile())).start();
  }

  String log() throws Exception {
    Path l = dir.resolve("run.log");
    return Files.exists(l) ? Files.readString(l) : "";
  }

  int finish(Process p) throws Exception {
    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "bottrace run did not stop when idle:\n" + log());
    return p.exitValue();
  }

  static List<String> topicArgs(String prefix, List<String> names) {
    List<String> a = new ArrayList<>();
    for (String n : names) {
      a.add("--kafka-topic");
      a.add(prefix + n);
    }
    return a;
  }

  @Test
  void zeekKafkaTopicPerLogAndRawEve_noticesEqualReplay_aBadRecordSkippedAndSaid() throws Exception {
    String prefix = topics(PER_LOG);
    try (KafkaProducer<String, String> p = producer()) {
      for (String l : LOGS) {
        // zeek-kafka, Kafka::topic_name "" (the log's path is the topic), tag_json F: plain Zeek JSON, no key
        List<String> rows = lines(ZEEK_JSON.resolve(l + ".log"));
        for (int i = 0; i < rows.size(); i++) {
          if (l.equals("conn") && i == 3) {
            p.send(new ProducerRecord<>(prefix + l, null, "{\"ts\":1795309823.4,\"uid\":")); // cut short
          }
          p.send(new ProducerRecord<>(prefix + l, null, rows.get(i)));
        }
      }
      for (String e : lines(EVE)) {
        p.send(new ProducerRecord<>(prefix + "eve", null, e));
      }
    }
    Path out = dir.resolve("notices.json");
    List<String> args = new ArrayList<>(topicArgs(prefix, new ArrayList<>(PER_LOG.keySet())));
    args.addAll(List.of("--out", out.toString(), "--state-dir", dir.resolve("state").toString()));
    assertEquals(0, finish(run(args.toArray(String[]::new))), log());
    assertEquals(replay(), Files.readString(out), log());
    assertTrue(log().contains("bottrace run: following 0 file(s) and 8 Kafka partition(s) of " + prefix + "analyzer, "),
        log());
    assertTrue(log().contains("bottrace: " + prefix + "conn/0:3: skipped malformed line: not valid JSON: "), log());
  }

  /**
   * The records of every Zeek log in one topic as zeek-kafka writes them with its default topic and tag_json T
   * (in the order Zeek wrote them: availability), with a sensor name beside; EVE through Filebeat.
   */
  @Test
  void oneTaggedZeekTopicAndFilebeatEve_noticesToATopic_equalReplay() throws Exception {
    String prefix = topics(Map.of("zeek", 1, "filebeat", 1, "notices", 1));
    LiveWriter order = inWriteOrder();
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    try (KafkaProducer<String, String> p = producer()) {
      for (LiveWriter.Line l : order.lines()) {
        String file = l.target().getFileName().toString();
        if (l.zeek()) {
          String log = file.replace(".log", "");
          p.send(new ProducerRecord<>(prefix + "zeek", null, "{\"" + log + "\": " + l.text() + ", \"sensor\": \"s1\"}"));
        } else {
          p.send(new ProducerRecord<>(prefix + "filebeat", null, "{\"@timestamp\":\"2026-11-22T01:13:00.000Z\","
              + "\"@metadata\":{\"beat\":\"filebeat\",\"type\":\"_doc\",\"version\":\"8.17.0\"},\"log\":{\"offset\":0,"
              + "\"file\":{\"path\":\"/var/log/suricata/eve.json\"}},\"message\":" + json.writeValueAsString(l.text())
              + ",\"input\":{\"type\":\"filestream\"},\"agent\":{\"type\":\"filebeat\"}}"));
        }
      }
    }
    Process r = run("--kafka-topic", prefix + "zeek", "--kafka-topic", prefix + "filebeat", "--notices-topic",
        prefix + "notices");
    assertEquals(0, finish(r), log());
    assertEquals("", Files.readString(dir.resolve("run.out")), "with a notices topic and no --out, stdout is quiet");
    List<ConsumerRecord<String, String>> got = consume(prefix + "notices");
    StringBuilder b = new StringBuilder();
    for (ConsumerRecord<String, String> c : got) {
      b.append(c.value()).append('\n');
      String subject = json.readTree(c.value()).path("subject").asText();
      assertEquals(subject, c.key(), "a notice is keyed by its subject");
    }
    assertEquals(replayInWriteOrder(), b.toString(), log());
  }

  /**
   * The devsim logs' lines in the order the sensors wrote them (availability), written out as files into
   * live/ too: replay of those is what a run over the same records in that order must say.
   */
  LiveWriter inWriteOrder() throws Exception {
    return LiveWriter.devsimInWriteOrder(dir.resolve("live"));
  }

  String replayInWriteOrder() {
    return replay(dir.resolve("live/zeek"), dir.resolve("live/eve.json"));
  }

  static List<ConsumerRecord<String, String>> consume(String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // what exactly-once writers committed
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(p)) {
      TopicPartition tp = new TopicPartition(topic, 0);
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      long end = c.endOffsets(List.of(tp)).get(tp);
      List<ConsumerRecord<String, String>> out = new ArrayList<>();
      long deadline = System.nanoTime() + 30_000_000_000L;
      while (c.position(tp) < end && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          out.add(r);
        }
      }
      return out;
    }
  }

  @Test
  void aTopicThatDoesNotExist_isExit2NamingIt() throws Exception {
    Run r = Run.jar(List.of(), "run", "--kafka", bootstrap, "--kafka-topic", "no-such-topic");
    assertEquals(2, r.code(), r.err());
    assertEquals("bottrace: command line: key 'kafka.topics': topic no-such-topic does not exist on " + bootstrap + "\n",
        r.err());
  }

  @Test
  void badRecords_goToTheDeadLetterTopicAsTheyWere_withWhereAndWhy() throws Exception {
    String prefix = topics(Map.of("conn", 1, "dead", 1));
    List<String> rows = lines(ZEEK_JSON.resolve("conn.log"));
    try (KafkaProducer<String, String> p = producer()) {
      p.send(new ProducerRecord<>(prefix + "conn", null, rows.get(0)));
      p.send(new ProducerRecord<>(prefix + "conn", "k1", "not json"));
      p.send(new ProducerRecord<>(prefix + "conn", null, rows.get(1)));
      p.send(new ProducerRecord<>(prefix + "conn", null, "{\"ts\":1795309823.4,"));
    }
    Path cfg = dir.resolve("dead.yaml");
    Files.writeString(cfg, "kafka:\n  dead_letter_topic: " + prefix + "dead\n");
    Run r = Run.jar(List.of(), "run", "--config", cfg.toString(), "--kafka", bootstrap, "--kafka-topic", prefix + "conn",
        "--from-start", "--stop-when-idle", "2s", "--out", dir.resolve("n.json").toString());
    assertEquals(0, r.code(), r.err());
    List<ConsumerRecord<String, String>> dead = consume(prefix + "dead");
    assertEquals(2, dead.size(), r.err());
    assertEquals("not json", dead.get(0).value());
    assertEquals("k1", dead.get(0).key());
    assertEquals("{\"ts\":1795309823.4,", dead.get(1).value());
    Map<String, String> h = new java.util.HashMap<>();
    for (org.apache.kafka.common.header.Header x : dead.get(0).headers()) {
      h.put(x.key(), new String(x.value(), StandardCharsets.UTF_8));
    }
    assertEquals(Map.of("bottrace.topic", prefix + "conn", "bottrace.partition", "0", "bottrace.offset", "1",
        "bottrace.reason", "not a JSON object"), h);
    assertTrue(r.err().contains(prefix + "conn/0:1: skipped malformed line: not a JSON object"), r.err());
  }

  @Test
  void aNoticesTopicThatDoesNotExist_isExit2_andNotMade() throws Exception {
    String prefix = topics(Map.of("conn", 1));
    Run r = Run.jar(List.of(), "run", "--kafka", bootstrap, "--kafka-topic", prefix + "conn", "--notices-topic",
        prefix + "no-such-notices");
    assertEquals(2, r.code(), r.err());
    assertEquals("bottrace: command line: key 'kafka.notices_topic': cannot produce to Kafka at " + bootstrap
        + ": topic " + prefix + "no-such-notices does not exist\n", r.err());
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    try (Admin a = Admin.create(p)) {
      assertTrue(!a.listTopics().names().get(30, TimeUnit.SECONDS).contains(prefix + "no-such-notices"));
    }
  }

  /**
   * bottrace feedback builds, from the notices topic (3 partitions, so out of time order between them), the same
   * sensor files as the run that wrote the notices built itself; a second start reads nothing new; a record that
   * is no notice is said and skipped.
   */
  @Test
  void feedbackFromTheNoticesTopic_sameSensorFilesAsTheRun_restartReadsNothingNew() throws Exception {
    Map<String, Integer> topics = new LinkedHashMap<>(PER_LOG);
    topics.put("notices", 3);
    String prefix = topics(topics);
    try (KafkaProducer<String, String> p = producer()) {
      for (String l : LOGS) {
        for (String row : lines(ZEEK_JSON.resolve(l + ".log"))) {
          p.send(new ProducerRecord<>(prefix + l, null, row));
        }
      }
      for (String e : lines(EVE)) {
        p.send(new ProducerRecord<>(prefix + "eve", null, e));
      }
    }
    Path byRun = dir.resolve("feedback-run");
    List<String> args = new ArrayList<>(topicArgs(prefix, new ArrayList<>(PER_LOG.keySet())));
    args.addAll(List.of("--notices-topic", prefix + "notices", "--feedback-dir", byRun.toString()));
    assertEquals(0, finish(run(args.toArray(String[]::new))), log());
    try (KafkaProducer<String, String> p = producer()) {
      p.send(new ProducerRecord<>(prefix + "notices", 1, "x", "not json"));
    }
    Path byTopic = dir.resolve("feedback-topic");
    String[] feedback = {"feedback", "--kafka", bootstrap, "--notices-topic", prefix + "notices", "--feedback-dir",
        byTopic.toString(), "--group-id", prefix + "feedback", "--stop-when-idle", "2s"};
    Run r = Run.jar(List.of(), feedback);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("bottrace feedback: reading 3 partition(s) of " + prefix + "notices into " + byTopic),
        r.err());
    assertTrue(r.err().contains("bottrace: " + prefix + "notices/1:"), r.err());
    assertTrue(r.err().contains(": skipped malformed line: not JSON: "), r.err());
    List<String> files;
    try (java.util.stream.Stream<Path> l = Files.list(byRun)) {
      files = l.map(x -> x.getFileName().toString()).filter(n -> !n.equals("bottrace-feedback.json")).sorted().toList();
    }
    assertTrue(files.contains("bottrace.intel"), files.toString());
    assertTrue(Files.readString(byRun.resolve("bottrace.intel")).contains("85.17.184.21\tIntel::ADDR"),
        "the devsim C&C is fed back:\n" + Files.readString(byRun.resolve("bottrace.intel")));
    for (String f : files) {
      assertEquals(Files.readString(byRun.resolve(f)), Files.readString(byTopic.resolve(f)), f);
    }
    Run again = Run.jar(List.of(), feedback);
    assertEquals(0, again.code(), again.err());
    assertTrue(again.err().contains("bottrace feedback: 0 record(s) read, 0 notice(s) offered, 0 skipped"), again.err());
    for (String f : files) {
      assertEquals(Files.readString(byRun.resolve(f)), Files.readString(byTopic.resolve(f)), f);
    }
    // quiet topic, log time on with the wall clock (time.idle_advance): what was not renewed for feedback.expire
    // is withdrawn, though no notice came to say so
    Path cfg = dir.resolve("expire.yaml");
    Files.writeString(cfg, "time:\n  idle_advance: 1s\nfeedback:\n  expire: 3s\n");
    Path expiring = dir.resolve("feedback-expiring");
    Run quiet = Run.jar(List.of(), "feedback", "--config", cfg.toString(), "--kafka", bootstrap, "--notices-topic",
        prefix + "notices", "--feedback-dir", expiring.toString(), "--group-id", prefix + "expiring",
        "--stop-when-idle", "6s");
    assertEquals(0, quiet.code(), quiet.err());
    assertEquals("", Files.readString(expiring.resolve("bottrace-cc-ip.lst")));
    assertTrue(Files.readString(expiring.resolve("bottrace.intel")).contains("85.17.184.21\tIntel::ADDR\tbottrace\t"
        + "bottrace cc (Host::Summary,IRC::BotClient,IRC::BotnetChannel,IRC::CCServer,IRC::Herder)\t-\tT\tT\n"),
        Files.readString(expiring.resolve("bottrace.intel")));
  }

  @Test
  void feedbackWithoutItsTopic_isExit2NamingTheKey() throws Exception {
    Run r = Run.jar(List.of(), "feedback", "--kafka", bootstrap, "--notices-topic", "no-such-notices", "--feedback-dir",
        dir.resolve("fb").toString());
    assertEquals(2, r.code(), r.err());
    assertEquals("bottrace: command line: key '--notices-topic': topic no-such-notices does not exist on " + bootstrap
        + "\n", r.err());
    Run none = Run.jar(List.of(), "feedback", "--kafka", bootstrap, "--notices-topic", "no-such-notices");
    assertEquals(2, none.code(), none.err());
    assertEquals("bottrace: command line: key 'feedback.dir': missing: give the folder the files go to (or"
        + " --feedback-dir)\n", none.err());
  }

  /** The sensors write while bottrace runs; it is killed with SIGKILL at random moments and started again. */
  @Test
  void killedAtRandomMoments_noticeFileIsByteIdentical() throws Exception {
    String prefix = topics(PER_LOG);
    LiveWriter order = inWriteOrder();
    Throwable[] failed = new Throwable[1];
    Thread writer = new Thread(() -> {
      try (KafkaProducer<String, String> p = producer()) {
        for (LiveWriter.Line l : order.lines()) {
          String topic = l.zeek() ? l.target().getFileName().toString().replace(".log", "") : "eve";
          p.send(new ProducerRecord<>(prefix + topic, null, l.text())).get();
          Thread.sleep(4);
        }
      } catch (Throwable e) {
        failed[0] = e;
      }
    });
    Path out = dir.resolve("notices.json");
    List<String> args = new ArrayList<>(topicArgs(prefix, new ArrayList<>(PER_LOG.keySet())));
    args.addAll(List.of("--out", out.toString(), "--state-dir", dir.resolve("state").toString()));
    Random rnd = new Random(7);
    int kills = 0;
    writer.start();
    while (true) {
      Process p = run(args.toArray(String[]::new));
      if (writer.isAlive() && kills < 12) {
        if (!p.waitFor(700 + rnd.nextInt(1200), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          p.waitFor();
          kills++;
          continue;
        }
      }
      assertEquals(0, finish(p), log());
      if (!writer.isAlive()) {
        break;
      }
    }
    writer.join();
    if (failed[0] != null) {
      throw new AssertionError("the producer failed", failed[0]);
    }
    assertTrue(kills >= 1, "killed at least once: " + kills);
    assertEquals(replayInWriteOrder(), Files.readString(out), log());
  }
}
