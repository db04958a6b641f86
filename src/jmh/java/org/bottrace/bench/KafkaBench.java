package org.bottrace.bench;

import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * Records per second through Kafka on this machine: a single-node KRaft broker (Kafka's test kit) in this JVM,
 * the first N rows of a Zeek JSON conn log produced to topic {@code conn} with P partitions (each host's rows
 * to one partition, as a site would key by sensor), then, on the same records, {@code bottrace run --kafka}
 * (one process) and the Streams application with 1, 2, 4 instances (processes), each timed from its start
 * until it has consumed every record (run: stopped when idle, minus the idle wait; Streams: the group's
 * committed offsets at the end).
 *
 * <p>Usage: {@code KafkaBench MAIN_JAR STREAMS_JAR CONN_JSON ROWS PARTITIONS INSTANCES,...}
 */
public final class KafkaBench {
  private KafkaBench() {}

  public static void main(String[] args) throws Exception {
    Path mainJar = Path.of(args[0]);
    Path streamsJar = Path.of(args[1]);
    Path conn = Path.of(args[2]);
    int rows = Integer.parseInt(args[3]);
    int partitions = Integer.parseInt(args[4]);
    List<Integer> instances = new ArrayList<>();
    for (String s : args[5].split(",")) {
      instances.add(Integer.parseInt(s));
    }
    Path dir = Files.createTempDirectory("bottrace-kafka-bench");
    try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(new TestKitNodes.Builder().setCombined(true)
        .setNumBrokerNodes(1).setNumControllerNodes(1).build())
        .setConfigProp("offsets.topic.replication.factor", "1")
        .setConfigProp("transaction.state.log.replication.factor", "1")
        .setConfigProp("transaction.state.log.min.isr", "1").build()) {
      cluster.format();
      cluster.startup();
      cluster.waitForReadyBrokers();
      String bootstrap = cluster.bootstrapServers();
      Properties ap = new Properties();
      ap.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
      try (Admin admin = Admin.create(ap)) {
        List<NewTopic> topics = new ArrayList<>();
        topics.add(new NewTopic("conn", partitions, (short) 1));
        for (int k : instances) {
          topics.add(new NewTopic("notices-" + k, 1, (short) 1));
        }
        topics.add(new NewTopic("notices-run", 1, (short) 1));
        admin.createTopics(topics).all().get(60, TimeUnit.SECONDS);
        long t0 = System.nanoTime();
        int n = produce(bootstrap, conn, rows, partitions);
        double produceS = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "machine: %d cores, %s%n", Runtime.getRuntime().availableProcessors(),
            System.getProperty("java.version"));
        System.out.printf(Locale.ROOT, "%d conn rows produced to %d partitions in %.2f s (%,.0f rows/s)%n%n", n,
            partitions, produceS, n / produceS);
        System.out.printf(Locale.ROOT, "%-44s %9s %12s%n", "consumer (whole processes, JVM start included)", "seconds",
            "rows/s");
        // bottrace run, one process reading every partition
        long s = System.nanoTime();
        Process run = java(mainJar, dir, "run", List.of("run", "--kafka", bootstrap, "--kafka-topic", "conn",
            "--notices-topic", "notices-run", "--from-start", "--stop-when-idle", "3s", "--out", "/dev/null"));
        if (!run.waitFor(30, TimeUnit.MINUTES) || run.exitValue() != 0) {
          throw new IllegalStateException("bottrace run failed: " + Files.readString(dir.resolve("run.log")));
        }
        double runS = (System.nanoTime() - s) / 1e9 - 3;
        System.out.printf(Locale.ROOT, "%-44s %9.2f %,12.0f%n", "bottrace run --kafka (1 process)", runS, n / runS);
        for (int k : instances) {
          String app = "bench-" + k;
          Path cfg = dir.resolve(app + ".yaml");
          Files.writeString(cfg, "kafka:\n  bootstrap_servers: " + bootstrap + "\n  topics: [conn]\n  notices_topic: notices-"
              + k + "\nstreams:\n  application_id: " + app + "\n  properties:\n    replication.factor: '1'\n"
              + (System.getenv("BENCH_COMMIT_MS") == null ? ""
                  : "    commit.interval.ms: '" + System.getenv("BENCH_COMMIT_MS") + "'\n"));
          List<Process> ps = new ArrayList<>();
          s = System.nanoTime();
          for (int i = 0; i < k; i++) {
            ps.add(java(streamsJar, dir, app + "-" + i, List.of("--config", cfg.toString(), "--state-dir",
                dir.resolve("state-" + app + "-" + i).toString())));
          }
          awaitConsumed(admin, app, partitions, n, ps, dir);
          double secs = (System.nanoTime() - s) / 1e9;
          System.out.printf(Locale.ROOT, "%-44s %9.2f %,12.0f%n", "bottrace-streams, " + k + " instance(s)", secs, n / secs);
          for (Process p : ps) {
            p.destroy();
          }
          for (Process p : ps) {
            p.waitFor(60, TimeUnit.SECONDS);
          }
        }
      }
    }
  }

  /** The first rows of the file, each host's to one partition; how many. */
  private static int produce(String bootstrap, Path conn, int rows, int partitions) throws Exception {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
    p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    int n = 0;
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        BufferedReader in = Files.newBufferedReader(conn, StandardCharsets.UTF_8)) {
      String line;
      while (n < rows && (line = in.readLine()) != null) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int h = line.indexOf("\"id.orig_h\":\"");
        String host = h < 0 ? "" : line.substring(h + 13, line.indexOf('"', h + 13));
        producer.send(new ProducerRecord<>("conn", Math.floorMod(host.hashCode(), partitions), null,
            line.getBytes(StandardCharsets.UTF_8)));
        n++;
      }
    }
    return n;
  }

  private static Process java(Path jar, Path dir, String name, List<String> args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g"));
    String extra = System.getenv("BENCH_JVM"); // e.g. a JFR recording of each instance
    if (extra != null && !extra.isBlank()) {
      cmd.addAll(List.of(extra.replace("NAME", name).split(" ")));
    }
    cmd.addAll(List.of("-jar", jar.toString()));
    cmd.addAll(args);
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(name + ".log").toFile()).start();
  }

  /** Waits until the application's committed offsets cover every record. */
  private static void awaitConsumed(Admin admin, String app, int partitions, long n, List<Process> ps, Path dir)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
    while (System.nanoTime() < deadline) {
      Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(app)
          .partitionsToOffsetAndMetadata().get(60, TimeUnit.SECONDS);
      long done = 0;
      for (OffsetAndMetadata o : offsets.values()) {
        done += o == null ? 0 : o.offset();
      }
      if (done >= n) {
        return;
      }
      for (Process p : ps) {
        if (!p.isAlive()) {
          throw new IllegalStateException("an instance of " + app + " stopped: see " + dir);
        }
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(app + " did not consume every record in 30 minutes: see " + dir);
  }
}
