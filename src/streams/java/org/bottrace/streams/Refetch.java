package org.bottrace.streams;

import java.io.Closeable;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The input records a restored task processed after its last snapshot, read again from the input topics
 * (they are not kept in the task's store): each partition from an offset on, in offset order, as the task's
 * own consumer read them (committed records only).
 */
interface Refetch extends Closeable {
  /** Begins reading each partition from its offset. */
  void start(Map<TopicPartition, Long> from);

  /** The next record of {@code tp}, or null when none comes (the topic no longer holds it, or Kafka is out of reach). */
  ConsumerRecord<byte[], byte[]> next(TopicPartition tp);

  @Override
  void close();
}
