package org.bottrace.streams;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.bottrace.pipeline.KafkaInput;
import org.bottrace.pipeline.Settings;

/**
 * {@link Refetch} from the cluster: a consumer of its own (no group, read_committed, as Streams' own under exactly
 * once) assigned the partitions to read again, each queue bounded by pausing its partition.
 */
final class KafkaRefetch implements Refetch {
  private static final int QUEUE = 4096;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Duration timeout;
  private final Map<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> queues = new HashMap<>();

  KafkaRefetch(Settings.KafkaSettings k, String clientId) {
    Properties p = KafkaInput.consumerProperties(k, null, clientId);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"); // what the task's own consumer read
    this.consumer = new KafkaConsumer<>(p);
    this.timeout = k.timeout();
  }

  @Override
  public void start(Map<TopicPartition, Long> from) {
    consumer.assign(from.keySet());
    for (Map.Entry<TopicPartition, Long> e : from.entrySet()) {
      consumer.seek(e.getKey(), e.getValue());
      queues.put(e.getKey(), new ArrayDeque<>());
    }
  }

  @Override
  public ConsumerRecord<byte[], byte[]> next(TopicPartition tp) {
    ArrayDeque<ConsumerRecord<byte[], byte[]>> q = queues.get(tp);
    if (q == null) {
      return null;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (q.isEmpty()) {
      if (System.nanoTime() > deadline) {
        return null;
      }
      List<TopicPartition> full = new ArrayList<>();
      List<TopicPartition> room = new ArrayList<>();
      for (Map.Entry<TopicPartition, ArrayDeque<ConsumerRecord<byte[], byte[]>>> e : queues.entrySet()) {
        (e.getValue().size() >= QUEUE ? full : room).add(e.getKey());
      }
      consumer.pause(full);
      consumer.resume(room);
      ConsumerRecords<byte[], byte[]> got = consumer.poll(Duration.ofMillis(200));
      for (TopicPartition t : got.partitions()) {
        queues.get(t).addAll(got.records(t));
      }
    }
    return q.poll();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
