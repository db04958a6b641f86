package org.bottrace.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.bottrace.config.ConfigException;
import org.bottrace.feedback.Feedback;
import org.bottrace.finding.Finding;
import org.bottrace.pipeline.KafkaInput;
import org.bottrace.pipeline.Settings;
import org.bottrace.sink.JsonNoticeSink;
import org.bottrace.source.Diagnostics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code bottrace feedback}: builds the sensors' feedback files (Zeek Intel, Suricata datasets) from the notices
 * topic, for the notices that many bottrace processes or the Streams application write. Every partition is
 * read by this one consumer; its offsets are committed to its group only after the files that cover them are
 * written, so a restart reads again at most what the files already have (offering a notice twice changes
 * nothing).
 */
@Command(name = "feedback", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Builds the sensors' Zeek Intel and Suricata dataset files from a Kafka topic of notices.",
        "The notices come from bottrace run --notices-topic or bottrace-streams; one consumer reads every partition."},
    footer = {"%nSignals: TERM/INT write the files, commit the offsets they cover and exit 0.",
        "Only JSON notices (notices.format json or zeek) can be read; ECS notices are reported and skipped."})
final class FeedbackCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--config", paramLabel = "FILE", description = "configuration file (default: built-in defaults)")
  Path config;

  @Option(names = "--kafka", paramLabel = "HOST:PORT,...", description = "the Kafka cluster (kafka.bootstrap_servers)")
  String kafka;

  @Option(names = "--notices-topic", paramLabel = "TOPIC", description = "the topic of notices (kafka.notices_topic)")
  String noticesTopic;

  @Option(names = "--feedback-dir", paramLabel = "DIR",
      description = "where the Zeek Intel and Suricata dataset files go (default: feedback.dir of the config)")
  Path feedbackDir;

  @Option(names = "--group-id", paramLabel = "GROUP", defaultValue = "bottrace-feedback",
      description = "the consumer group its offsets are committed to, one per feedback folder (default: ${DEFAULT-VALUE})")
  String groupId;

  @Option(names = "--stop-when-idle", paramLabel = "DURATION",
      description = "write the files, commit and exit once the topic has had nothing new for DURATION (e.g. 30s)")
  String stopWhenIdle;

  /** How often, at most, the files are written and the offsets they cover committed while notices come. */
  private static final long COMMIT_NANOS = 1_000_000_000L;
  /** How often the topic is looked at for partitions added to it. */
  private static final long PARTITIONS_NANOS = 60_000_000_000L;

  @Override
  public Integer call() throws Exception {
    Settings s = config == null ? Settings.defaults() : Settings.load(config);
    String cfgName = config == null ? "command line" : config.toString();
    Duration stopIdle = CommonOptions.duration("--stop-when-idle", stopWhenIdle);
    if (groupId.isBlank()) {
      throw new ConfigException("command line", "--group-id", "empty");
    }
    Settings.KafkaSettings k = s.kafka().with(kafka, null, noticesTopic);
    if (!k.enabled()) {
      throw new ConfigException(cfgName, "kafka.bootstrap_servers", "missing: give the Kafka cluster's host:port"
          + " (or --kafka)");
    }
    String topic = k.noticesTopic();
    if (topic == null) {
      throw new ConfigException(cfgName, "kafka.notices_topic", "missing: give the topic of notices (or --notices-topic)");
    }
    String topicKey = noticesTopic != null ? "--notices-topic" : "kafka.notices_topic";
    String topicFile = noticesTopic != null ? "command line" : cfgName;
    PrintWriter err = spec.commandLine().getErr();
    Diagnostics diag = new Diagnostics(err::println, System::nanoTime);
    Feedback fb = Feedback.create(s.feedback(), feedbackDir, diag::warn, false);
    if (fb == null) {
      throw new ConfigException(cfgName, "feedback.dir", "missing: give the folder the files go to (or --feedback-dir)");
    }
    fb.withdraw(s::allowlisted); // what an analyst has allowlisted since is withdrawn from the sensors
    fb.flush();
    KafkaConsumer<byte[], byte[]> consumer;
    try {
      consumer = new KafkaConsumer<>(KafkaInput.consumerProperties(k, groupId, "bottrace-feedback"));
    } catch (KafkaException e) {
      throw new ConfigException(cfgName, "kafka.properties", "the Kafka consumer cannot be made: "
          + KafkaInput.causes(e));
    }
    Signals signals = new Signals();
    signals.install();
    long read = 0;
    long offered = 0;
    long bad = 0;
    try {
      Set<TopicPartition> assigned = new HashSet<>();
      try {
        assign(consumer, topic, k.timeout(), assigned, topicFile, topicKey, k.bootstrapServers());
      } catch (org.apache.kafka.common.errors.AuthenticationException
          | org.apache.kafka.common.errors.AuthorizationException e) {
        throw new ConfigException(cfgName, "kafka.properties", "Kafka at " + k.bootstrapServers()
            + " refuses bottrace: " + KafkaInput.causes(e));
      } catch (KafkaException e) {
        throw new ConfigException(cfgName, "kafka.bootstrap_servers", "cannot reach Kafka at "
            + k.bootstrapServers() + ": " + KafkaInput.causes(e));
      }
      err.println("bottrace feedback: reading " + assigned.size() + " partition(s) of " + topic + " into "
          + fb.dir() + " (group " + groupId + ")");
      Map<TopicPartition, OffsetAndMetadata> pending = new HashMap<>();
      long lastCommit = System.nanoTime();
      long lastRecord = System.nanoTime();
      long lastAdvance = lastRecord;
      long lastPartitions = System.nanoTime();
      long idleAdvance = s.idleAdvance().toNanos();
      String fetchFailure = null;
      long fetchFailureSaid = 0;
      while (!signals.stop.get()) {
        ConsumerRecords<byte[], byte[]> got;
        try {
          got = consumer.poll(Duration.ofMillis(200));
          fetchFailure = null;
        } catch (org.apache.kafka.common.errors.AuthenticationException
            | org.apache.kafka.common.errors.AuthorizationException e) {
          commit(consumer, fb, pending, diag);
          throw new ExitException(ExitCode.INPUT_UNREADABLE, "Kafka at " + k.bootstrapServers()
              + " refuses bottrace: " + KafkaInput.causes(e));
        } catch (KafkaException e) {
          String m = KafkaInput.causes(e);
          long now = System.nanoTime();
          if (!m.equals(fetchFailure) || now - fetchFailureSaid >= 60_000_000_000L) {
            diag.warn("kafka: cannot fetch (" + m + "); trying again at every poll (said once a minute)");
            fetchFailure = m;
            fetchFailureSaid = now;
          }
          signals.sleep(1000);
          continue;
        }
        for (ConsumerRecord<byte[], byte[]> r : got) {
          read++;
          pending.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
          Finding f;
          try {
            if (r.value() == null) {
              throw new IllegalArgumentException("no value (a tombstone)");
            }
            f = JsonNoticeSink.read(r.value());
          } catch (IllegalArgumentException e) {
            bad++;
            diag.malformed(r.topic() + "/" + r.partition(), r.offset(), e.getMessage());
            continue;
          }
          if (s.allowlisted(f)) {
            continue;
          }
          fb.offer(f);
          offered++;
        }
        long now = System.nanoTime();
        if (!got.isEmpty()) {
          lastRecord = now;
        } else if (idleAdvance > 0 && now - Math.max(lastRecord, lastAdvance) >= idleAdvance
            && fb.latest() != Long.MIN_VALUE) {
          // nothing new for time.idle_advance: log time goes on with the wall clock, so entries still expire
          fb.tick(fb.latest() + (now - Math.max(lastRecord, lastAdvance)) / 1000);
          lastAdvance = now;
        }
        if (!pending.isEmpty() && (got.isEmpty() || now - lastCommit >= COMMIT_NANOS)) {
          commit(consumer, fb, pending, diag);
          lastCommit = now;
        }
        if (now - lastPartitions >= PARTITIONS_NANOS) {
          try {
            assign(consumer, topic, k.timeout(), assigned, topicFile, topicKey, k.bootstrapServers());
          } catch (KafkaException | ConfigException e) {
            diag.warn("kafka: cannot look for partitions added to " + topic + ": " + e.getMessage());
          }
          lastPartitions = now;
        }
        if (stopIdle != null && got.isEmpty() && now - lastRecord >= stopIdle.toNanos()) {
          break;
        }
      }
      commit(consumer, fb, pending, diag);
      for (TopicPartition tp : assigned) {
        diag.endOfFile(tp.topic() + "/" + tp.partition());
      }
      err.println("bottrace feedback: " + read + " record(s) read, " + offered + " notice(s) offered, " + bad
          + " skipped; files in " + fb.dir() + ": " + fb.counts());
    } finally {
      consumer.close(k.timeout());
    }
    return ExitCode.OK;
  }

  /**
   * Assigns the partitions of {@code topic} not assigned yet, each from its committed offset, else its oldest
   * record.
   */
  private static void assign(KafkaConsumer<byte[], byte[]> consumer, String topic, Duration timeout,
      Set<TopicPartition> assigned, String file, String key, String bootstrap) throws ConfigException {
    List<PartitionInfo> infos = consumer.partitionsFor(topic, timeout);
    if (infos == null || infos.isEmpty()) {
      throw new ConfigException(file, key, "topic " + topic + " does not exist on " + bootstrap);
    }
    List<TopicPartition> added = new ArrayList<>();
    for (PartitionInfo i : infos) {
      TopicPartition tp = new TopicPartition(i.topic(), i.partition());
      if (!assigned.contains(tp)) {
        added.add(tp);
      }
    }
    if (added.isEmpty()) {
      return;
    }
    List<TopicPartition> all = new ArrayList<>(assigned);
    all.addAll(added);
    consumer.assign(all);
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(added), timeout);
    List<TopicPartition> fromStart = new ArrayList<>();
    for (TopicPartition tp : added) {
      OffsetAndMetadata c = committed == null ? null : committed.get(tp);
      if (c != null) {
        consumer.seek(tp, c.offset());
      } else {
        fromStart.add(tp);
      }
    }
    if (!fromStart.isEmpty()) {
      consumer.seekToBeginning(fromStart);
    }
    assigned.addAll(added);
  }

  /** The files first, then the offsets they cover. */
  private static void commit(KafkaConsumer<byte[], byte[]> consumer, Feedback fb,
      Map<TopicPartition, OffsetAndMetadata> pending, Diagnostics diag) {
    fb.flush();
    if (pending.isEmpty()) {
      return;
    }
    try {
      consumer.commitSync(new HashMap<>(pending));
      pending.clear();
    } catch (KafkaException e) {
      // kept for the next commit; a restart before it reads those notices again, which changes nothing
      diag.warn("kafka: cannot commit the offsets the files cover (" + KafkaInput.causes(e) + "); trying again");
    }
  }
}
