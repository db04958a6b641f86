package org.bottrace.pipeline;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.bottrace.source.Diagnostics;

/**
 * The records bottrace could not read, produced as they were (key and value) to {@code kafka.dead_letter_topic},
 * with headers naming where each came from and why it was refused: {@code bottrace.topic},
 * {@code bottrace.partition}, {@code bottrace.offset}, {@code bottrace.reason}. They are reported on stderr as
 * well; a dead letter Kafka does not take is said once a minute and does not stop the run.
 */
public final class DeadLetters implements AutoCloseable {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final Diagnostics diag;
  private volatile String failure;
  private long failureSaid;

  DeadLetters(Settings.KafkaSettings k, Diagnostics diag) {
    this.producer = org.bottrace.sink.KafkaNoticeSink.producer(k.bootstrapServers(), k.deadLetterTopic(),
        k.properties(), k.timeout(), "bottrace-dead-letters");
    this.topic = k.deadLetterTopic();
    this.diag = diag;
  }

  /** The headers of a dead letter: where the record came from and why it was refused. */
  public static RecordHeaders headers(String topic, int partition, long offset, String reason) {
    RecordHeaders h = new RecordHeaders();
    h.add("bottrace.topic", topic.getBytes(StandardCharsets.UTF_8));
    h.add("bottrace.partition", Integer.toString(partition).getBytes(StandardCharsets.UTF_8));
    h.add("bottrace.offset", Long.toString(offset).getBytes(StandardCharsets.UTF_8));
    h.add("bottrace.reason", reason.getBytes(StandardCharsets.UTF_8));
    return h;
  }

  void send(ConsumerRecord<byte[], byte[]> r, String reason) {
    RecordHeaders h = headers(r.topic(), r.partition(), r.offset(), reason);
    try {
      producer.send(new ProducerRecord<>(topic, null, null, r.key(), r.value(), h), (meta, e) -> {
        if (e != null) {
          failure = e.getMessage();
        }
      });
    } catch (KafkaException e) {
      failure = e.getMessage();
    }
    said();
  }

  /** Waits until Kafka took every dead letter sent (before a checkpoint). */
  void flush() {
    try {
      producer.flush();
    } catch (KafkaException e) {
      failure = e.getMessage();
    }
    said();
  }

  private void said() {
    String f = failure;
    long now = System.nanoTime();
    if (f != null && now - failureSaid >= 60_000_000_000L) {
      failureSaid = now;
      diag.warn("kafka: cannot write dead letters to " + topic + " (" + f + "); the records are reported here only");
      failure = null;
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
