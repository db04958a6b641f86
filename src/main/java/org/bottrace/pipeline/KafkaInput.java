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
  private static final int PAUSE_AT = 2 * 1024;
  /** How long, at most each second, partitions Kafka says have records waiting are fetched for before the merge
   * goes on without them. */
  private static final Duration CATCH_UP = Duration.ofMillis(500);

  private final KafkaConsumer<byte[], byte[]> consumer;
  /** Where records that cannot be read go, or null. */
  private DeadLetters deadLetters;
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
    Properties p = consumerProperties(settings, settings.groupId(), "bottrace-run");
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
      Map<TopicPartition, Long> oldest = consumer.beginningOffsets(all, settings.timeout());
      Map<TopicPartition, Long> newest = consumer.endOffsets(all, settings.timeout());
      for (Part part : parts.values()) {
        Long at = resume.get(key(part.tp));
        long first = oldest.getOrDefault(part.tp, 0L);
        long end = newest.getOrDefault(part.tp, 0L);
        if (at != null && at < first) {
          diag.warn("kafka: " + key(part.tp) + ": the checkpoint's offset " + at + " is no longer kept (the oldest is "
              + first + "): " + (first - at) + " records were deleted unread; reading from " + first);
          consumer.seek(part.tp, first);
        } else if (at != null && at > end) {
          diag.warn("kafka: " + key(part.tp) + ": the checkpoint's offset " + at + " is past the partition's end " + end
              + " (the topic made anew?); reading from its oldest record, " + first);
          consumer.seek(part.tp, first);
        }
        part.next = consumer.position(part.tp, settings.timeout());
        known.add(part.tp);
      }
      lastCheck = System.nanoTime();
      if (settings.deadLetterTopic() != null) {
        try {
          deadLetters = new DeadLetters(settings, diag);
        } catch (KafkaException e) {
          throw new ConfigException(configFile, "kafka.dead_letter_topic", "cannot produce to Kafka at "
              + settings.bootstrapServers() + ": " + causes(e));
        }
      }
    } catch (org.apache.kafka.common.errors.AuthenticationException
        | org.apache.kafka.common.errors.AuthorizationException e) {
      consumer.close(Duration.ZERO);
      throw new ConfigException(configFile, "kafka.properties", "Kafka at " + settings.bootstrapServers()
          + " refuses bottrace: " + causes(e));
    } catch (KafkaException e) {
      consumer.close(Duration.ZERO);
      throw new ConfigException(configFile, "kafka.bootstrap_servers", "cannot reach Kafka at "
          + settings.bootstrapServers() + ": " + causes(e));
    } catch (ConfigException | RuntimeException e) {
      consumer.close(Duration.ZERO);
      throw e;
    }
  }

  /**
   * The properties of a consumer of byte records that commits itself ({@code groupId}, or none when null), reads
   * what transactions committed, starts a partition whose offset Kafka no longer holds from its oldest record and
   * never makes a topic; the user's kafka.properties under them.
   */
  public static Properties consumerProperties(Settings.KafkaSettings settings, String groupId, String clientId) {
    Properties p = new Properties();
    p.putAll(settings.properties());
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    p.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    if (groupId != null) {
      p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    }
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    // an offset Kafka no longer holds (retention passed it, the topic was made anew) goes back to the oldest
    // record kept, never forward past records not read (the consumer's default, latest, would skip them)
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, "false"); // a mistyped topic is an error, not a new topic
    return p;
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
    } catch (org.apache.kafka.common.errors.AuthenticationException
        | org.apache.kafka.common.errors.AuthorizationException e) {
      throw new Failed("Kafka at " + settings.bootstrapServers() + " refuses bottrace: " + causes(e));
    } catch (KafkaException e) {
      long now = System.nanoTime();
      String m = causes(e);
      if (!m.equals(fetchFailure) || now - fetchFailureSaid >= 60_000_000_000L) {
        diag.warn("kafka: cannot fetch (" + m + "); trying again at every poll (said once a minute)");
        fetchFailure = m;
        fetchFailureSaid = now;
      }
      failedFetch = true;
      return;
    }
    failedFetch = false;
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

  private String fetchFailure;
  private long fetchFailureSaid;
  /** Whether the last fetch failed: then no partition is waited for (nothing will come soon). */
  private boolean failedFetch;

  /** The partitions known, and when the topics were last looked at for new ones. */
  private final java.util.Set<TopicPartition> known = new java.util.HashSet<>();
  private long lastCheck;
  private static final long CHECK_NANOS = 60_000_000_000L;

  /**
   * Partitions added to the topics since the last look (once a minute at most): feeds for them, to be
   * followed from their first record. Empty most of the time.
   */
  public List<Follow.Feed> added() {
    long now = System.nanoTime();
    if (now - lastCheck < CHECK_NANOS) {
      return List.of();
    }
    lastCheck = now;
    List<TopicPartition> fresh = new ArrayList<>();
    try {
      for (String topic : settings.topics()) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, settings.timeout());
        for (PartitionInfo i : infos == null ? List.<PartitionInfo>of() : infos) {
          TopicPartition tp = new TopicPartition(i.topic(), i.partition());
          if (!known.contains(tp)) {
            fresh.add(tp);
          }
        }
      }
    } catch (KafkaException e) {
      return List.of(); // looked at again in a minute
    }
    if (fresh.isEmpty()) {
      return List.of();
    }
    List<TopicPartition> all = new ArrayList<>(known);
    all.addAll(fresh);
    consumer.assign(all);
    consumer.seekToBeginning(fresh);
    List<Follow.Feed> out = new ArrayList<>();
    for (TopicPartition tp : fresh) {
      Part part = new Part(tp, new RecordReader(tp.topic(), tp.partition(), settings.topicLogs(), diag));
      part.next = 0;
      parts.put(tp, part);
      known.add(tp);
      out.add(part);
      diag.warn("kafka: " + key(tp) + " is new: following it from its first record");
    }
    return out;
  }

  /** Kafka refuses bottrace while it runs (authentication, authorization): the run stops. */
  public static final class Failed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Failed(String message) {
      super(message);
    }
  }

  /**
   * How long partitions were waited for within the current second: every wait of every partition draws on
   * one budget of {@link #CATCH_UP} a second, so partitions that cannot be fetched cost the run at most that.
   */
  private long budgetSince;
  private long waitedNanos;

  private boolean mayWait() {
    long now = System.nanoTime();
    if (now - budgetSince >= 1_000_000_000L) {
      budgetSince = now;
      waitedNanos = 0;
    }
    return !failedFetch && waitedNanos < CATCH_UP.toNanos();
  }

  /**
   * After a checkpoint: commits the offsets it covers to the group (no group: nothing), so that Kafka's tools
   * show the lag. A failure is said and the next checkpoint commits again.
   *
   * @param positions the checkpoint's positions by feed
   */
  /** Before a checkpoint: every dead letter sent is taken by Kafka (or said not to be). */
  public void flush() {
    if (deadLetters != null) {
      deadLetters.flush();
    }
  }

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
      if (deadLetters != null) {
        deadLetters.close();
      }
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
        // records Kafka has for this partition and has not handed over yet may be earlier than another
        // partition's head: fetch them before the merge goes on (bounded: a slow broker must not hold it)
        while (queue.isEmpty() && waiting() && mayWait()) {
          long t = System.nanoTime();
          fetch(Duration.ofMillis(50));
          waitedNanos += System.nanoTime() - t;
        }
        if (queue.isEmpty()) {
          return null;
        }
      }
      Chunk c = reader.start();
      Map<Long, ConsumerRecord<byte[], byte[]>> held = deadLetters == null ? null : new HashMap<>();
      while (!queue.isEmpty() && !RecordReader.full(c)) {
        ConsumerRecord<byte[], byte[]> r = queue.pollFirst();
        reader.add(c, r.offset(), r.key(), r.value());
        next = r.offset() + 1;
        if (held != null) {
          held.put(r.offset(), r);
        }
      }
      if (queue.size() < PAUSE_AT / 2 && consumer.paused().contains(tp)) {
        consumer.resume(List.of(tp));
      }
      reader.parse(c);
      reader.take(c, held == null ? null : (offset, reason) -> deadLetters.send(held.get(offset), reason));
      return c;
    }

    /** Whether Kafka answered a fetch of this partition yet. */
    private boolean answered;

    /**
     * Whether Kafka says records are there past what was fetched. Before its first answer, yes (the start must
     * not run ahead of a partition); later an unknown lag (its leader gone) is not waited for.
     */
    private boolean waiting() {
      OptionalLong lag = consumer.currentLag(tp);
      if (lag.isPresent()) {
        answered = true;
        return lag.getAsLong() > 0;
      }
      return !answered;
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
