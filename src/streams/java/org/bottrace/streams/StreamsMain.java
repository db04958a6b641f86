package org.bottrace.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.bottrace.config.ConfigException;
import org.bottrace.pipeline.Settings;
import org.bottrace.source.Diagnostics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar bottrace-streams.jar}: one instance of the Kafka Streams application. */
@Command(name = "bottrace-streams", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"Runs bottrace's detectors as a Kafka Streams application over the topics the sensors write:",
        "each task one bottrace over one partition number of every topic, its state in a state store, exactly once.",
        "Start as many instances (same configuration) as there are partitions to share; TERM stops one cleanly."},
    footer = {"%nExit codes: 0 stopped, 2 bad configuration, 4 the application failed."})
public final class StreamsMain implements Callable<Integer> {
  @Option(names = "--config", paramLabel = "FILE", description = "configuration file (kafka: and streams: sections)")
  Path config;

  @Option(names = "--kafka", paramLabel = "HOST:PORT,...", description = "the Kafka cluster (kafka.bootstrap_servers)")
  String kafka;

  @Option(names = "--kafka-topic", paramLabel = "TOPIC", description = "a topic to read (repeatable; kafka.topics)")
  List<String> topics;

  @Option(names = "--notices-topic", paramLabel = "TOPIC", description = "where notices go (kafka.notices_topic)")
  String noticesTopic;

  @Option(names = "--application-id", paramLabel = "ID", description = "Streams' application.id (streams.application_id)")
  String applicationId;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "this instance's state stores (streams.state_dir)")
  Path stateDir;

  @Option(names = "--threads", paramLabel = "N", description = "stream threads (streams.threads)")
  Integer threads;

  /** The configuration with the command line's overrides, checked as a start needs it. */
  Settings settings() throws ConfigException {
    Settings s = config == null ? Settings.defaults() : Settings.load(config);
    String file = config == null ? "command line" : config.toString();
    Settings.KafkaSettings k = s.kafka().with(kafka, topics, noticesTopic);
    if (!k.enabled()) {
      throw new ConfigException(file, "kafka.bootstrap_servers", "missing: give --kafka HOST:PORT");
    }
    if (k.topics().isEmpty()) {
      throw new ConfigException(file, "kafka.topics", "no topic to read: give --kafka-topic");
    }
    if (k.noticesTopic() == null) {
      throw new ConfigException(file, "kafka.notices_topic", "no topic for the notices: give --notices-topic");
    }
    return s.with(k, s.streams().with(applicationId, stateDir, threads));
  }

  @Override
  public Integer call() throws Exception {
    Settings s = settings();
    Diagnostics diag = new Diagnostics(System.err::println, System::nanoTime);
    // every detector's configuration is checked before anything connects
    new org.bottrace.pipeline.Task(s, org.bottrace.sink.NoticeSink.of("json", java.io.OutputStream.nullOutputStream(),
        false), diag, new org.bottrace.pipeline.RunStats());
    checkTopics(s);
    KafkaStreams streams = new KafkaStreams(BottraceTopology.build(s, diag), BottraceTopology.properties(s));
    CountDownLatch stopped = new CountDownLatch(1);
    int[] code = {0};
    streams.setUncaughtExceptionHandler(e -> {
      System.err.println("bottrace-streams: " + e);
      code[0] = 4;
      return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
    });
    streams.setStateListener((now, before) -> {
      System.err.println("bottrace-streams: " + before + " -> " + now);
      if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
        stopped.countDown();
      }
    });
    org.bottrace.cli.Signals signals = new org.bottrace.cli.Signals();
    signals.install(); // TERM and INT: a clean stop (its tasks committed and handed over), exit 0
    System.err.println("bottrace-streams: " + s.streams().applicationId() + " reading " + String.join(", ", s.kafka().topics())
        + ", notices to " + s.kafka().noticesTopic() + ", " + s.streams().threads() + " thread(s)");
    streams.start();
    while (!signals.stop.get() && stopped.getCount() > 0) {
      signals.sleep(500);
    }
    streams.close(Duration.ofSeconds(30));
    return code[0];
  }

  /**
   * Every topic the application reads or writes exists (Streams would wait, then fail, on a missing one; it never
   * creates them): else a configuration error naming the key.
   */
  private void checkTopics(Settings s) throws ConfigException {
    Settings.KafkaSettings k = s.kafka();
    String file = config == null ? "command line" : config.toString();
    java.util.Map<String, String> keyed = new java.util.LinkedHashMap<>();
    for (String t : k.topics()) {
      keyed.put(t, "kafka.topics");
    }
    keyed.put(k.noticesTopic(), "kafka.notices_topic");
    if (k.deadLetterTopic() != null) {
      keyed.put(k.deadLetterTopic(), "kafka.dead_letter_topic");
    }
    for (java.util.Map.Entry<String, String> e : keyed.entrySet()) {
      try {
        org.bottrace.sink.KafkaNoticeSink.checkTopic(k.bootstrapServers(), k.properties(), e.getKey(), k.timeout());
      } catch (org.apache.kafka.common.KafkaException x) {
        throw new ConfigException(file, e.getValue(), org.bottrace.pipeline.KafkaInput.causes(x) + " (topic "
            + e.getKey() + ", Kafka at " + k.bootstrapServers() + ")");
      }
    }
  }

  public static void main(String[] args) {
    CommandLine cl = new CommandLine(new StreamsMain());
    cl.setExecutionExceptionHandler((ex, c, parsed) -> {
      if (ex instanceof ConfigException) {
        c.getErr().println("bottrace-streams: " + ex.getMessage());
        return 2;
      }
      c.getErr().println("bottrace-streams: internal error: " + ex);
      ex.printStackTrace(c.getErr());
      return 4;
    });
    System.exit(cl.execute(args));
  }
}
