package org.bottrace.streams;

import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;
import org.bottrace.pipeline.Settings;
import org.bottrace.source.Diagnostics;

/**
 * The Streams application: the kafka.topics read as one source (so a task takes partition p of every one of
 * them, merged by availability time), one {@link PipelineProcessor} per task with its state store, notices to
 * kafka.notices_topic keyed by subject id, and the records it cannot read, as they were, to
 * kafka.dead_letter_topic when one is set (in the same transaction).
 */
final class BottraceTopology {
  /** The sink of the notices, and of the records bottrace cannot read (when kafka.dead_letter_topic is set). */
  static final String NOTICES = "notices";
  static final String DEAD_LETTERS = "dead-letters";

  private BottraceTopology() {}

  static Topology build(Settings s, Diagnostics diag) {
    Settings.KafkaSettings k = s.kafka();
    Topology t = new Topology();
    t.addSource(org.apache.kafka.streams.AutoOffsetReset.earliest(), "records", new AvailabilityTime(k.topicLogs()),
        Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(), k.topics().toArray(new String[0]));
    t.addProcessor("bottrace", () -> new PipelineProcessor(s, diag), "records");
    t.addStateStore(Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PipelineProcessor.STORE),
        Serdes.String(), Serdes.ByteArray()).withCachingEnabled(), "bottrace"); // the order log's segment: once a commit
    t.addSink(NOTICES, k.noticesTopic(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(),
        "bottrace");
    if (k.deadLetterTopic() != null) {
      t.addSink(DEAD_LETTERS, k.deadLetterTopic(), Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer(),
          "bottrace");
    }
    return t;
  }

  /** The Streams configuration: exactly once, bottrace's names and folders, the user's properties. */
  static Properties properties(Settings s) {
    Settings.KafkaSettings k = s.kafka();
    Settings.StreamsSettings st = s.streams();
    Properties p = new Properties();
    p.putAll(k.properties());
    p.putAll(st.properties());
    p.put(StreamsConfig.APPLICATION_ID_CONFIG, st.applicationId());
    p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, k.bootstrapServers());
    p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(st.threads()));
    if (st.stateDir() != null) {
      p.put(StreamsConfig.STATE_DIR_CONFIG, st.stateDir().toString());
    }
    // max.task.idle.ms stays Kafka's 0: a task waits for a partition Kafka says holds records not fetched yet,
    // and not for one that is empty (as run waits for a partition with lag)
    p.putIfAbsent("processing.exception.handler.global.enabled", "true"); // Kafka 5.0's default, said at every start
    return p;
  }
}
