package org.bottrace.pipeline;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.bottrace.config.ConfigException;
import org.bottrace.source.Chunk;
import org.bottrace.source.Diagnostics;
import org.bottrace.source.RecordReader;

/**
 * The topics a single {@code bottrace run} consumes: every partition of each (assigned, not subscribed: one
 * process reads them all, in the order {@link Follow} merges them), one feed per partition. Where each starts:
 * the checkpoint's offset, else with {@code from_start} the beginning, else the group's committed offset,
 * else the end (as files are followed from their ends). After each checkpoint the offsets it covers are
 * committed to the group, so Kafka's tools show how far behind bottrace is.
 */
public final class KafkaInput implements Closeable {
  /** Records fetched and not yet read per partition past which its fetching pauses. */
  private static final int PAUSE_AT = 8 * 1024;
  /** How long a partition Kafka says has records waiting is fetched for before the merge goes on without it. */
  private static final Duration CATCH_UP = Duration.ofMillis(500);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Map<TopicPartition, Part> parts = new java.util.LinkedHashMap<>();
  private final Settings.KafkaSettings settings;
  private final Diagnostics diag;

  /**
   * Connects, finds the topics' partitions and places each where it starts.
   *
   * @param resume the checkpoint's offsets by {@link #key} (empty without one)
   * @throws ConfigException (exit 2) when a topic does not exist
   */
  public KafkaInput(Settings.KafkaSettings settings, String configFile, Map<String, Long> resume, boolean fromStart,
      Diagnostics diag) throws ConfigException {
    this.settings = settings;
    this.diag = diag;
    Properties p = new Properties();
    p.putAll(settings.properties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    if (settings.groupId() != null) {
      p.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
    }
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "bottrace-run");
    try {
      consumer = new KafkaConsumer<>(p);
    } catch (KafkaException e) {
      throw new ConfigException(configFile, "kafka.properties", "the Kafka consumer cannot be made: " + causes(e));
    }
    try {
      List<TopicPartition> all = new ArrayList<>();
      for (String topic : settings.topics()) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, settings.timeout());
        if (infos == null || infos.isEmpty()) {
          throw new ConfigException(configFile, "kafka.topics", "topic " + topic + " does not exist on "
              + settings.bootstrapServers());
        }
        List<TopicPartition> tps = new ArrayList<>();
        for (PartitionInfo i : infos) {
          tps.add(new TopicPartition(i.topic(), i.partition()));
        }
        tps.sort(java.util.Comparator.comparingInt(TopicPartition::partition));
        all.addAll(tps);
      }
      consumer.assign(all);
      Map<TopicPartition, OffsetAndMetadata> committed = settings.groupId() == null || fromStart ? Map.of()
          : consumer.committed(new java.util.HashSet<>(all), settings.timeout());
      List<TopicPartition> toEnd = new ArrayList<>();
      List<TopicPartition> toStart = new ArrayList<>();
      for (TopicPartition tp : all) {
        Part part = new Part(tp, new RecordReader(tp.topic(), tp.partition(), settings.topicLogs(), diag));
        parts.put(tp, part);
        Long at = resume.get(key(tp));
        OffsetAndMetadata c = committed == null ? null : committed.get(tp);
        if (at != null) {
          consumer.seek(tp, at);
        } else if (fromStart) {
          toStart.add(tp);
        } else if (c != null) {
          consumer.seek(tp, c.offset());
        } else {
          toEnd.add(tp);
        }
      }
      // (an empty list would mean every assigned partition)
      if (!toStart.isEmpty()) {
        consumer.seekToBeginning(toStart);
      }
      if (!toEnd.isEmpty()) {
        consumer.seekToEnd(toEnd);
      }
      for (Part part : parts.values()) {
        part.next = consumer.position(part.tp, settings.timeout());
      }
    } catch (KafkaException e) {
      consumer.close(Duration.ZERO);
      throw new ConfigException(configFile, "kafka.bootstrap_servers", "cannot reach Kafka at "
          + settings.bootstrapServers() + ": " + causes(e));
    } catch (ConfigException | RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
  }

  /** An exception's message and its causes' ("Failed to construct kafka consumer: ..."). */
  public static String causes(Throwable e) {
    StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
      if (c.getMessage() != null && !b.toString().contains(c.getMessage())) {
        b.append(": ").append(c.getMessage());
      }
    }
    return b.toString();
  }

  /** How a checkpoint names a partition. */
  static String key(TopicPartition tp) {
    return tp.topic() + "/" + tp.partition();
  }

  /** Where a checkpoint says each partition is, by {@link #key}. */
  public static Map<String, Long> offsets(com.fasterxml.jackson.databind.JsonNode cp) {
    Map<String, Long> out = new HashMap<>();
    if (cp != null) {
      for (com.fasterxml.jackson.databind.JsonNode i : cp.path("inputs")) {
        if (i.has("kafka") && i.path("offset").canConvertToLong()) {
          out.put(i.path("kafka").asText(), i.path("offset").asLong());
        }
      }
    }
    return out;
  }

  /** One feed per partition, topics in the order configured, partitions in number order. */
  public List<Follow.Feed> feeds() {
    return new ArrayList<>(parts.values());
  }

  /** The partitions read. */
  public int partitions() {
    return parts.size();
  }

  /** Fetches what Kafka has now (waiting at most {@code wait}) into the partitions' queues. */
  private void fetch(Duration wait) {
    ConsumerRecords<byte[], byte[]> got;
    try {
      got = consumer.poll(wait);
    } catch (KafkaException e) {
      diag.warn("kafka: cannot fetch (" + e.getMessage() + "); trying again at the next poll");
      return;
    }
    List<TopicPartition> pause = new ArrayList<>();
    for (TopicPartition tp : got.partitions()) {
      Part part = parts.get(tp);
      part.queue.addAll(got.records(tp));
      if (part.queue.size() >= PAUSE_AT) {
        pause.add(tp);
      }
    }
    if (!pause.isEmpty()) {
      consumer.pause(pause);
    }
  }

  /**
   * After a checkpoint: commits the offsets it covers to the group (no group: nothing), so that Kafka's tools
   * show the lag. A failure is said and the next checkpoint commits again.
   *
   * @param positions the checkpoint's positions by feed
   */
  public void commit(Map<Follow.Feed, Object> positions) {
    if (settings.groupId() == null) {
      return;
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (Map.Entry<Follow.Feed, Object> e : positions.entrySet()) {
      if (e.getKey() instanceof Part && e.getValue() instanceof Long) {
        offsets.put(((Part) e.getKey()).tp, new OffsetAndMetadata((Long) e.getValue()));
      }
    }
    if (offsets.isEmpty()) {
      return;
    }
    lastCommit = offsets;
    try {
      // asynchronous: a coordinator out of reach must not hold the run (the checkpoint is what resumes it)
      consumer.commitAsync(offsets, (done, e) -> {
        if (e == null) {
          commitFailure = null;
        } else if (commitFailure == null || !commitFailure.equals(e.getMessage())) {
          commitFailure = e.getMessage();
          diag.warn("kafka: cannot commit offsets to group " + settings.groupId() + " (" + e.getMessage()
              + "); the checkpoint has them, and each checkpoint commits again");
        }
      });
    } catch (KafkaException e) {
      diag.warn("kafka: cannot commit offsets to group " + settings.groupId() + " (" + e.getMessage() + ")");
    }
  }

  private Map<TopicPartition, OffsetAndMetadata> lastCommit;
  private String commitFailure;

  /** Commits the last checkpoint's offsets once more, waiting a little for it, and disconnects. */
  @Override
  public void close() {
    try {
      if (lastCommit != null) {
        consumer.commitSync(lastCommit, Duration.ofSeconds(5));
      }
    } catch (KafkaException e) {
      diag.warn("kafka: cannot commit offsets to group " + settings.groupId() + " at stop (" + e.getMessage()
          + "); the checkpoint has them");
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** One topic partition, followed. */
  private final class Part implements Follow.Feed {
    final TopicPartition tp;
    final RecordReader reader;
    final ArrayDeque<ConsumerRecord<byte[], byte[]>> queue = new ArrayDeque<>();
    /** The offset after the last record read into a chunk. */
    long next;

    Part(TopicPartition tp, RecordReader reader) {
      this.tp = tp;
      this.reader = reader;
    }

    @Override
    public Chunk next() {
      if (queue.isEmpty()) {
        fetch(Duration.ZERO);
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        // records Kafka has for this partition and has not handed over yet may be earlier than another
        // partition's head: fetch them before the merge goes on (bounded: a slow broker must not hold it)
        while (queue.isEmpty() && waiting() && System.nanoTime() < deadline) {
          fetch(Duration.ofMillis(50));
        }
        if (queue.isEmpty()) {
          return null;
        }
      }
      Chunk c = reader.start();
      while (!queue.isEmpty() && !RecordReader.full(c)) {
        ConsumerRecord<byte[], byte[]> r = queue.pollFirst();
        reader.add(c, r.offset(), r.key(), r.value());
        next = r.offset() + 1;
      }
      if (queue.size() < PAUSE_AT / 2 && consumer.paused().contains(tp)) {
        consumer.resume(List.of(tp));
      }
      reader.parse(c);
      reader.take(c);
      return c;
    }

    /** Whether Kafka says records are there past what was fetched (unknown before its first answer: yes). */
    private boolean waiting() {
      OptionalLong lag = consumer.currentLag(tp);
      return lag.isEmpty() || lag.getAsLong() > 0;
    }

    @Override
    public Object position() {
      return next;
    }

    @Override
    public Object positionAt(Chunk c, long offset) {
      return offset;
    }

    @Override
    public void write(com.fasterxml.jackson.databind.node.ObjectNode entry, Object position) {
      entry.put("kafka", key(tp));
      entry.put("offset", (Long) position);
    }

    @Override
    public Path path() {
      return Path.of(tp.topic() + "-" + tp.partition());
    }

    @Override
    public long lag() {
      return 0;
    }

    @Override
    public long malformed() {
      return reader.malformed();
    }

    @Override
    public long rotations() {
      return 0;
    }

    @Override
    public long truncations() {
      return 0;
    }
  }
}
