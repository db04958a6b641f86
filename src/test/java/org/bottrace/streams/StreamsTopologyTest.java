package org.bottrace.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.bottrace.Run;
import org.bottrace.it.LiveWriter;
import org.bottrace.pipeline.Settings;
import org.bottrace.source.Diagnostics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Streams application's topology without a broker (TopologyTestDriver): devsim's records as zeek-kafka and
 * Suricata's shippers write them give replay's notices, and a task restored from its store (another instance
 * taking it over) goes on exactly where the first left off.
 */
class StreamsTopologyTest {
  @TempDir
  Path dir;

  Settings settings(String extra) throws Exception {
    return settings("", extra);
  }

  /** The test's configuration with {@code kafkaExtra} in its kafka: section and {@code extra} in streams:. */
  Settings settings(String kafkaExtra, String extra) throws Exception {
    StringBuilder topics = new StringBuilder();
    for (String l : LiveWriter.DEVSIM_JSON_LOGS) {
      topics.append(l).append(", ");
    }
    Path cfg = dir.resolve("streams.yaml");
    Files.writeString(cfg, "kafka:\n  bootstrap_servers: unused:9092\n  topics: [" + topics + "eve]\n"
        + "  notices_topic: notices\n" + kafkaExtra + "streams:\n  state_dir: " + dir.resolve("state") + "\n"
        + (extra.contains("snapshot_records") ? "" : "  snapshot_records: 50\n")
        + "  report_when_idle: 2s\n"
        + extra);
    StreamsMain m = new StreamsMain();
    m.config = cfg;
    return m.settings();
  }

  /** The records of every log in the order the sensors wrote them, each to its topic (zeek-kafka's topic per log). */
  List<String[]> records(LiveWriter w) {
    List<String[]> out = new ArrayList<>();
    for (LiveWriter.Line l : w.lines()) {
      String topic = l.zeek() ? l.target().getFileName().toString().replace(".log", "") : "eve";
      out.add(new String[] {topic, l.text()});
    }
    return out;
  }

  String replay() {
    Run r = Run.of("replay", "-q", dir.resolve("live/zeek").toString(), dir.resolve("live/eve.json").toString());
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("IRC::BotClient"), r.out());
    return r.out();
  }

  @Test
  void devsimRecords_giveReplaysNotices_keyedBySubject() throws Exception {
    Settings s = settings("");
    List<String[]> records = records(LiveWriter.devsimInWriteOrder(dir.resolve("live")));
    List<String> errors = new ArrayList<>();
    Diagnostics diag = new Diagnostics(m -> {
      if (!m.contains("no GeoIP database")) {
        errors.add(m);
      }
    }, () -> 0L);
    StringBuilder got = new StringBuilder();
    try (TopologyTestDriver d = new TopologyTestDriver(BottraceTopology.build(s, diag), BottraceTopology.properties(s),
        Instant.parse("2026-12-02T00:00:00Z"))) {
      Map<String, TestInputTopic<byte[], byte[]>> in = new HashMap<>();
      for (String[] r : records) {
        in.computeIfAbsent(r[0], t -> d.createInputTopic(t, new ByteArraySerializer(), new ByteArraySerializer()))
            .pipeInput(null, r[1].getBytes(StandardCharsets.UTF_8));
      }
      d.advanceWallClockTime(Duration.ofSeconds(3)); // report_when_idle: what detectors hold pending
      TestOutputTopic<byte[], byte[]> out = d.createOutputTopic("notices", new ByteArrayDeserializer(),
          new ByteArrayDeserializer());
      com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
      for (org.apache.kafka.streams.test.TestRecord<byte[], byte[]> r : out.readRecordsToList()) {
        String v = new String(r.value(), StandardCharsets.UTF_8);
        assertEquals(json.readTree(v).path("subject").asText(), new String(r.key(), StandardCharsets.UTF_8));
        // written at the wall clock's time, not the log's (2026-11-22): a broker would delete a notice older than
        // the topic's retention at once
        assertTrue(!r.getRecordTime().isBefore(Instant.parse("2026-12-02T00:00:00Z")), r.getRecordTime().toString());
        got.append(v).append('\n');
      }
    }
    assertTrue(records.size() > 500, "devsim's records: " + records.size());
    assertEquals(replay(), got.toString());
    assertEquals(List.of(), errors);
  }

  /**
   * Records bottrace cannot read go to kafka.dead_letter_topic as they were, with headers saying where from and
   * why, in the task's output; the others' notices are unchanged, and a restored task does not send them again.
   */
  @Test
  void unreadableRecords_goToTheDeadLetterTopic_once() throws Exception {
    Settings s = settings("");
    Settings dl = settings("  dead_letter_topic: dead\n", "");
    List<String[]> records = new ArrayList<>(records(LiveWriter.devsimInWriteOrder(dir.resolve("live"))));
    String whole = run(s, records, List.of());
    int conn = (int) records.stream().filter(r -> r[0].equals("conn")).count();
    // a line that is no JSON and one cut short, among the conn records; a tombstone among EVE's
    records.add(40, new String[] {"conn", "not json at all"});
    records.add(300, new String[] {"conn", "{\"ts\":1796158443.1,\"uid\":\"Cx"});
    records.add(500, new String[] {"eve", null});
    List<String> dead = new ArrayList<>();
    assertEquals(whole, run(dl, records, List.of(), dead));
    List<String> offsets = new ArrayList<>();
    for (int i : new int[] {40, 300, 500}) {
      String t = records.get(i)[0];
      long off = records.subList(0, i).stream().filter(r -> r[0].equals(t)).count();
      offsets.add(t + "/0:" + off);
    }
    assertEquals(List.of(offsets.get(0) + " not json at all | not a JSON object",
        offsets.get(1) + " {\"ts\":1796158443.1,\"uid\":\"Cx | not valid JSON: Unexpected end-of-input in VALUE_STRING",
        offsets.get(2) + " null | no value (a tombstone)"), dead);
    assertTrue(conn > 10, "conn records: " + conn);
    // cut after the bad records: the restored task processes them again, muted, and sends no dead letter twice
    List<String> again = new ArrayList<>();
    assertEquals(whole, run(dl, records, List.of(301, 501), again));
    assertEquals(dead, again);
  }

  /**
   * A task's state after some records, restored by a new processor from the store alone (as another instance
   * restores it from the changelog), gives the notices an uninterrupted task gives, whatever the cut: inside
   * the records kept since a snapshot, or just after one.
   */
  @Test
  void aTaskRestoredFromItsStore_goesOnAsIfUninterrupted() throws Exception {
    Settings s = settings("");
    List<String[]> records = records(LiveWriter.devsimInWriteOrder(dir.resolve("live")));
    String whole = run(s, records, List.of());
    assertTrue(whole.contains("IRC::BotClient"), whole);
    for (int cut : new int[] {1, 49, 50, 51, 137, 300, records.size() - 1}) {
      assertEquals(whole, run(s, records, List.of(cut)), "cut after " + cut + " records");
    }
    assertEquals(whole, run(s, records, List.of(120, 121, 400)), "three restores");
    // no snapshot at all before the cut: every record is read again from the topics, none is in the store
    assertEquals(whole, run(settings("  snapshot_records: 1000000\n"), records, List.of(records.size() - 1)),
        "all but one record read again");
  }

  /**
   * bottrace's own counters of a task on JMX (org.bottrace:type=task,task-id=0_0): the records it read and the
   * notices it wrote, by note; after a restore, only what the new processor read and wrote (not what it processed
   * again from its store).
   */
  @Test
  void theTasksCounters_onJmx_countWhatItReadAndWrote() throws Exception {
    Settings s = settings("");
    List<String[]> records = records(LiveWriter.devsimInWriteOrder(dir.resolve("live")));
    javax.management.MBeanServer jmx = java.lang.management.ManagementFactory.getPlatformMBeanServer();
    javax.management.ObjectName task = new javax.management.ObjectName("org.bottrace:type=task,task-id=0_0");
    String whole = run(s, records, List.of());
    Map<String, Long> byNote = new java.util.TreeMap<>();
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    for (String l : whole.split("\n")) {
      byNote.merge(json.readTree(l).path("note").asText(), 1L, Long::sum);
    }
    assertEquals((long) records.size(), jmx.getAttribute(task, "Records"));
    assertEquals(0L, jmx.getAttribute(task, "Malformed"));
    assertEquals(whole.split("\n").length, ((Long) jmx.getAttribute(task, "Notices")).intValue());
    javax.management.openmbean.TabularData t = (javax.management.openmbean.TabularData) jmx.getAttribute(task,
        "NoticesByNote");
    Map<String, Long> onJmx = new java.util.TreeMap<>();
    for (Object row : t.values()) {
      javax.management.openmbean.CompositeData c = (javax.management.openmbean.CompositeData) row;
      onJmx.put((String) c.get("key"), (Long) c.get("value"));
    }
    assertEquals(byNote, onJmx);
    assertTrue(byNote.containsKey("IRC::BotClient"), byNote.toString());
    assertTrue((Long) jmx.getAttribute(task, "StateEntries") > 0);
    assertTrue((Long) jmx.getAttribute(task, "LogTimeMillis") > 1_700_000_000_000L);
    run(s, records, List.of(300));
    assertEquals((long) records.size() - 300, jmx.getAttribute(task, "Records"), "after a restore at 300");
  }

  /**
   * A restore whose records are no longer in the input topics (their retention passed them) says so, once per
   * partition, and goes on with what it has: the next records are processed and their notices written.
   */
  @Test
  void aRestoreWhoseRecordsAreGone_saysSo_andGoesOn() throws Exception {
    Settings s = settings("  snapshot_records: 1000000\n");
    List<String[]> records = records(LiveWriter.devsimInWriteOrder(dir.resolve("live")));
    MockProcessorContext<byte[], byte[]> ctx = context();
    List<String> said = new ArrayList<>();
    Diagnostics diag = new Diagnostics(said::add, () -> 0L);
    Refetch gone = new Refetch() {
      @Override
      public void start(Map<org.apache.kafka.common.TopicPartition, Long> from) {}

      @Override
      public org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> next(
          org.apache.kafka.common.TopicPartition tp) {
        return null;
      }

      @Override
      public void close() {}
    };
    PipelineProcessor p = new PipelineProcessor(s, diag, () -> gone);
    p.init(ctx);
    Map<String, Long> offsets = new HashMap<>();
    java.util.function.BiConsumer<PipelineProcessor, String[]> feed = (proc, r) -> {
      long off = offsets.merge(r[0], 1L, Long::sum) - 1;
      ctx.setRecordMetadata(r[0], 0, off);
      proc.process(new Record<>(null, r[1].getBytes(StandardCharsets.UTF_8), 0L));
    };
    for (String[] r : records.subList(0, 200)) {
      feed.accept(p, r);
    }
    int before = ctx.forwarded().size();
    p.close();
    PipelineProcessor q = new PipelineProcessor(s, diag, () -> gone);
    q.init(ctx);
    List<String> lost = said.stream().filter(m -> m.contains("not all in the topic")).toList();
    java.util.Set<String> topics = new java.util.TreeSet<>();
    for (String[] r : records.subList(0, 200)) {
      topics.add(r[0]);
    }
    assertEquals(topics.size(), lost.size(), said.toString());
    assertTrue(lost.contains("bottrace: task 0_0: conn/0: the records processed since the last snapshot are not all in"
        + " the topic any more (from offset 0: none came); the state goes on without them"), lost.toString());
    assertTrue(said.stream().anyMatch(m -> m.startsWith("bottrace: task 0_0: restored: no snapshot, then 0 records"
        + " read again from the input topics (0 bytes)")), said.toString());
    for (String[] r : records.subList(200, records.size())) {
      feed.accept(q, r);
    }
    assertTrue(ctx.forwarded().size() > before, "the records after the restore give notices");
  }

  /** A task's context with its store (in memory: a new processor over it is a restore). */
  private static MockProcessorContext<byte[], byte[]> context() {
    MockProcessorContext<byte[], byte[]> ctx = new MockProcessorContext<>();
    ctx.setCurrentSystemTimeMs(1_796_000_000_000L);
    KeyValueStore<String, byte[]> store = Stores.keyValueStoreBuilder(
        Stores.inMemoryKeyValueStore(PipelineProcessor.STORE), org.apache.kafka.common.serialization.Serdes.String(),
        org.apache.kafka.common.serialization.Serdes.ByteArray()).withLoggingDisabled().build();
    store.init(ctx.getStateStoreContext(), store);
    ctx.addStateStore(store);
    return ctx;
  }

  /** Runs processors over the records, a new one restored from the store after each cut; their notices. */
  private String run(Settings s, List<String[]> records, List<Integer> cuts) {
    return run(s, records, cuts, new ArrayList<>());
  }

  /**
   * As {@link #run(Settings, List, List)}; each dead letter into {@code dead} as "topic/partition:offset value |
   * reason".
   */
  private String run(Settings s, List<String[]> records, List<Integer> cuts, List<String> dead) {
    MockProcessorContext<byte[], byte[]> ctx = context();
    Diagnostics diag = new Diagnostics(m -> { }, () -> 0L);
    // the input topics, read again by a restored task from where its snapshot ends
    Map<org.apache.kafka.common.TopicPartition, List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>>>
        topics = new HashMap<>();
    java.util.function.Supplier<Refetch> refetch = () -> new Refetch() {
      final Map<org.apache.kafka.common.TopicPartition, Integer> at = new HashMap<>();

      @Override
      public void start(Map<org.apache.kafka.common.TopicPartition, Long> from) {
        from.forEach((tp, off) -> at.put(tp, off.intValue()));
      }

      @Override
      public org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]> next(
          org.apache.kafka.common.TopicPartition tp) {
        List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> l = topics.getOrDefault(tp, List.of());
        int i = at.merge(tp, 1, Integer::sum) - 1;
        return i < l.size() ? l.get(i) : null;
      }

      @Override
      public void close() {}
    };
    PipelineProcessor p = new PipelineProcessor(s, diag, refetch);
    p.init(ctx);
    Map<String, Long> offsets = new HashMap<>();
    for (int i = 0; i < records.size(); i++) {
      if (cuts.contains(i)) {
        p.close();
        p = new PipelineProcessor(s, diag, refetch); // a new instance: only the store (and the topics) carry over
        p.init(ctx);
      }
      String[] r = records.get(i);
      long off = offsets.merge(r[0], 1L, Long::sum) - 1;
      ctx.setRecordMetadata(r[0], 0, off);
      byte[] value = r[1] == null ? null : r[1].getBytes(StandardCharsets.UTF_8);
      topics.computeIfAbsent(new org.apache.kafka.common.TopicPartition(r[0], 0), k -> new ArrayList<>())
          .add(new org.apache.kafka.clients.consumer.ConsumerRecord<>(r[0], 0, off, null, value));
      p.process(new Record<>(null, value, 0L));
    }
    // the report when idle, by the punctuator
    MockProcessorContext.CapturedPunctuator punctuator = ctx.scheduledPunctuators().get(ctx.scheduledPunctuators().size() - 1);
    punctuator.getPunctuator().punctuate(ctx.currentSystemTimeMs() + 3000);
    StringBuilder b = new StringBuilder();
    for (MockProcessorContext.CapturedForward<? extends byte[], ? extends byte[]> f : ctx.forwarded()) {
      String v = f.record().value() == null ? "null" : new String(f.record().value(), StandardCharsets.UTF_8);
      if (BottraceTopology.DEAD_LETTERS.equals(f.childName().orElse(null))) {
        org.apache.kafka.common.header.Headers h = f.record().headers();
        java.util.function.Function<String, String> hd = k -> new String(h.lastHeader(k).value(), StandardCharsets.UTF_8);
        dead.add(hd.apply("bottrace.topic") + "/" + hd.apply("bottrace.partition") + ":" + hd.apply("bottrace.offset")
            + " " + v + " | " + hd.apply("bottrace.reason"));
        continue;
      }
      assertEquals(BottraceTopology.NOTICES, f.childName().orElse(null));
      b.append(v).append('\n');
    }
    return b.toString();
  }
}
