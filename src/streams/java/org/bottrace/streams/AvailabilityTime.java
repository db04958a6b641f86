package org.bottrace.streams;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;
import org.bottrace.event.Event;
import org.bottrace.source.Diagnostics;
import org.bottrace.source.RecordReader;

/**
 * A record's Streams timestamp is the availability time of its event (when its sensor wrote it: a conn row at
 * the connection's end, an EVE flow at flow.end), in milliseconds, so that a task takes the records of its
 * partitions in the order {@code bottrace run} merges logs. A record without an event (malformed, or of a log
 * bottrace does not use) keeps the partition's time, so it neither moves stream time nor is dropped.
 */
final class AvailabilityTime implements TimestampExtractor {
  private final Map<String, String> topicLogs;
  private final Diagnostics silent = new Diagnostics(m -> { }, () -> 0L); // the processor reports them

  AvailabilityTime(Map<String, String> topicLogs) {
    this.topicLogs = topicLogs;
  }

  /**
   * The events just read, by record, on the thread that read them (the one that processes them next): so a
   * record is parsed once. Bounded: a record whose event fell out is parsed again.
   */
  private static final ThreadLocal<java.util.LinkedHashMap<String, Event>> READ = ThreadLocal.withInitial(
      () -> new java.util.LinkedHashMap<>(1024, 0.75f, false) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Event> eldest) {
          return size() > 50_000;
        }
      });

  /** This thread's readers, by topic/partition (one per record would build a reader for every record). */
  private final ThreadLocal<Map<String, RecordReader>> readers = ThreadLocal.withInitial(java.util.HashMap::new);

  static String key(String topic, int partition, long offset) {
    return topic + '\0' + partition + '\0' + offset;
  }

  /** The event this thread's extractor read from the record, taken out; null when there is none kept. */
  static Event taken(String topic, int partition, long offset) {
    return READ.get().remove(key(topic, partition, offset));
  }

  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    RecordReader r = readers.get().computeIfAbsent(record.topic() + '/' + record.partition(),
        k -> new RecordReader(record.topic(), record.partition(), topicLogs, silent));
    Event e = r.event(record.offset(), (byte[]) record.key(), (byte[]) record.value());
    if (e != null) {
      READ.get().put(key(record.topic(), record.partition(), record.offset()), e);
    }
    if (e == null) {
      return partitionTime >= 0 ? partitionTime : Math.max(0, record.timestamp());
    }
    return Math.max(0, Math.floorDiv(e.availableAt(), 1000L));
  }
}
