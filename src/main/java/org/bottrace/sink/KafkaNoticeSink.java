package org.bottrace.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces each notice to a Kafka topic: the value is the notice as one JSON line of the configured format
 * (json or ecs; a Zeek log has no meaning on a topic, so zeek gives json), the key its subject id, so that
 * every update of one verdict goes to one partition in order and a compacted topic keeps the latest.
 * The producer is idempotent with acks=all; {@link #flush()} returns once every notice written is
 * acknowledged, or fails naming the cause, so a checkpoint after it never covers a notice Kafka lacks.
 */
public final class KafkaNoticeSink implements NoticeSink {
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream(2048);
  private final NoticeSink lines;
  private final AtomicReference<Exception> failed = new AtomicReference<>();
  private final Duration timeout;

  /**
   * @param properties client properties passed on (security, ...)
   */
  public KafkaNoticeSink(String bootstrapServers, String topic, String format, Map<String, String> properties,
      Duration timeout) {
    Properties p = new Properties();
    p.putAll(properties);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "bottrace-notices");
    p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
    this.producer = new KafkaProducer<>(p);
    this.topic = topic;
    this.timeout = timeout;
    this.lines = NoticeSink.of(format.equals("zeek") ? "json" : format, buf, false);
  }

  @Override
  public void write(Notice n) throws IOException {
    check();
    buf.reset();
    lines.write(n);
    lines.flush();
    byte[] b = buf.toByteArray();
    int len = b.length;
    while (len > 0 && (b[len - 1] == '\n' || b[len - 1] == '\r')) {
      len--;
    }
    try {
      producer.send(new ProducerRecord<>(topic, n.subject().getBytes(StandardCharsets.UTF_8),
          len == b.length ? b : Arrays.copyOf(b, len)), (meta, e) -> {
            if (e != null) {
              failed.compareAndSet(null, e);
            }
          });
    } catch (KafkaException e) {
      throw new IOException("Kafka topic " + topic + ": " + e.getMessage(), e);
    }
  }

  private void check() throws IOException {
    Exception e = failed.get();
    if (e != null) {
      throw new IOException("Kafka topic " + topic + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void flush() throws IOException {
    try {
      producer.flush();
    } catch (KafkaException e) {
      throw new IOException("Kafka topic " + topic + ": " + e.getMessage(), e);
    }
    check();
  }

  @Override
  public void close() throws IOException {
    try {
      flush();
    } finally {
      producer.close(timeout);
    }
  }
}
