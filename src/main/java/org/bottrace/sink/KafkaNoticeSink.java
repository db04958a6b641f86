package org.bottrace.sink;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
  private final NoticeLines lines;
  private final AtomicReference<Exception> failed = new AtomicReference<>();
  private final Duration timeout;

  /**
   * @param properties client properties passed on (security, ...)
   */
  public KafkaNoticeSink(String bootstrapServers, String topic, String format, Map<String, String> properties,
      Duration timeout) {
    this.producer = producer(bootstrapServers, topic, properties, timeout, "bottrace-notices");
    this.topic = topic;
    this.timeout = timeout;
    this.lines = new NoticeLines(format);
  }

  /**
   * An idempotent producer (acks=all) of byte keys and values to {@code topic}, which must exist: a record not
   * acknowledged within {@code timeout} fails.
   *
   * @throws KafkaException when the topic does not exist, the cluster cannot be reached or refuses the properties
   */
  public static KafkaProducer<byte[], byte[]> producer(String bootstrapServers, String topic,
      Map<String, String> properties, Duration timeout, String clientId) {
    Properties p = new Properties();
    p.putAll(properties);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(timeout.toMillis()));
    // a record not acknowledged within kafka.timeout fails the flush: the delivery bound must cover linger.ms and
    // one request
    long request = Math.min(timeout.toMillis(), 30_000);
    p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(request));
    p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(Math.max(timeout.toMillis(), request + 1000)));
    checkTopic(p, topic, timeout);
    return new KafkaProducer<>(p);
  }

  /**
   * Fails with a {@link KafkaException} naming the problem when {@code topic} does not exist on the cluster or the
   * cluster cannot be reached within {@code timeout} ({@code properties}: the client's, security and so on).
   */
  public static void checkTopic(String bootstrapServers, Map<String, String> properties, String topic,
      Duration timeout) {
    Properties p = new Properties();
    p.putAll(properties);
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    checkTopic(p, topic, timeout);
  }

  /**
   * Fails with a {@link KafkaException} naming the problem when the topic does not exist or the cluster cannot
   * be reached (the producer would create a missing topic, or wait for the first notice to fail).
   */
  private static void checkTopic(Properties p, String topic, Duration timeout) {
    Properties a = new Properties();
    for (String k : p.stringPropertyNames()) {
      if (org.apache.kafka.clients.admin.AdminClientConfig.configNames().contains(k)) {
        a.put(k, p.getProperty(k));
      }
    }
    a.put(org.apache.kafka.clients.admin.AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        Long.toString(timeout.toMillis()));
    a.put(org.apache.kafka.clients.admin.AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
        Long.toString(Math.min(timeout.toMillis(), 30_000)));
    try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(a)) {
      admin.describeTopics(java.util.List.of(topic)).allTopicNames().get(timeout.toMillis(),
          java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) {
        throw new KafkaException("topic " + topic + " does not exist");
      }
      throw new KafkaException(e.getCause() == null ? e.toString() : e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new KafkaException("no answer within " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted");
    }
  }

  @Override
  public void write(Notice n) throws IOException {
    check();
    byte[] line = lines.of(n);
    try {
      producer.send(new ProducerRecord<>(topic, n.subject().getBytes(StandardCharsets.UTF_8), line), (meta, e) -> {
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
