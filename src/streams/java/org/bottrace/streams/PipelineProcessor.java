package org.bottrace.streams;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.bottrace.config.ConfigException;
import org.bottrace.event.Event;
import org.bottrace.pipeline.RunStats;
import org.bottrace.pipeline.Settings;
import org.bottrace.pipeline.Task;
import org.bottrace.source.Diagnostics;
import org.bottrace.source.RecordReader;

/**
 * One Streams task: a whole bottrace ({@link Task}) over the records of one partition number of every input
 * topic, in the order Streams hands them over (by their availability time, {@link AvailabilityTime}).
 *
 * <p>Its state lives in the task's store {@link #STORE} (so in its changelog topic): the last snapshot of
 * the whole state in parts of at most 256 KiB, and the order log since: which records it processed, as runs of
 * consecutive records of one partition (topic, partition, first offset, count), and every idle step of the
 * clock and report, in order. The records themselves are not kept: they are in the input topics. Every store
 * write is in the same transaction as the notices and the input offsets (exactly once), so whatever a commit
 * covers, the store holds: after a restore, on this instance or another, the snapshot is loaded and the records
 * since are read again from the input topics ({@link Refetch}) and processed again in the same order with their
 * notices held back, since they were written before. The store caches the log's last segment, rewritten at
 * every record, so that the changelog gets it once a commit. After at least {@code streams.snapshot_records}
 * records, once the bytes of the records since outweigh the last snapshot, a new snapshot replaces it and the log.
 */
final class PipelineProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  static final String STORE = "bottrace-state";
  private static final int PART = 256 * 1024;
  private static final byte RECORDS = 'R';
  private static final byte IDLE = 'I';
  private static final byte REPORT = 'P';
  /** Entries per segment of the order log (the segment is rewritten at every record: a bounded copy). */
  private static final int SEGMENT = 64;

  private final Settings settings;
  private final Diagnostics diag;
  private final java.util.function.Supplier<Refetch> refetch;
  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<String, byte[]> store;
  private Task task;
  private final Map<String, RecordReader> readers = new HashMap<>();
  /** The order log's segment being written: its number, its entries but the last, the last (a run, or null). */
  private int segment;
  private int segmentEntries;
  private final ByteArrayOutputStream sealed = new ByteArrayOutputStream(2048);
  private String runTopic;
  private int runPartition;
  private long runFirst;
  private long runLast;
  private int runCount;
  /** Records processed since the last snapshot, their bytes, and the snapshot's. */
  private long sinceRecords;
  private long sinceBytes;
  private long snapshotBytes;
  /** Wall-clock milliseconds (Streams') of the last record. */
  private long lastRecordWall;
  private boolean reported;
  private long idleSteps;
  /** Whether records bottrace cannot read go to kafka.dead_letter_topic (not while restoring: they went before). */
  private final boolean deadLetters;
  private boolean restoring;
  /** bottrace's counters of this task on JMX, org.bottrace:type=task,task-id=... */
  private final org.bottrace.pipeline.Counters counters = new org.bottrace.pipeline.Counters();

  PipelineProcessor(Settings settings, Diagnostics diag) {
    this(settings, diag, () -> new KafkaRefetch(settings.kafka(), "bottrace-streams-restore"));
  }

  /** As the other; {@code refetch} reads the records since the snapshot again when a task is restored. */
  PipelineProcessor(Settings settings, Diagnostics diag, java.util.function.Supplier<Refetch> refetch) {
    this.settings = settings;
    this.diag = diag;
    this.refetch = refetch;
    this.deadLetters = settings.kafka().deadLetterTopic() != null;
  }

  @Override
  public void init(ProcessorContext<byte[], byte[]> ctx) {
    this.context = ctx;
    this.store = ctx.getStateStore(STORE);
    try {
      task = new Task(settings, new ForwardingSink(ctx, settings.format()), diag, new RunStats());
    } catch (ConfigException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    restore();
    // what the restore processed again was counted where it was first processed
    publish(ctx.currentSystemTimeMs());
    counters.baseline();
    counters.register("task", ctx.taskId().toString());
    lastRecordWall = ctx.currentSystemTimeMs();
    ctx.schedule(Duration.ofSeconds(1), PunctuationType.WALL_CLOCK_TIME, this::quiet);
  }

  private void restore() {
    // Streams may init this processor again (a task revived after an error): nothing of before counts but the store
    readers.clear();
    newLog();
    idleSteps = 0;
    byte[] parts = store.get("snapshot.parts");
    try {
      if (parts != null) {
        int n = Integer.parseInt(new String(parts, StandardCharsets.US_ASCII));
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        for (int i = 0; i < n; i++) {
          whole.write(store.get("snapshot." + i));
        }
        for (String w : task.restore(whole.toByteArray())) {
          diag.warn("task " + context.taskId() + ": state: " + w);
        }
      }
      reported = store.get("reported") != null; // reported since the snapshot's last record
      byte[] size = store.get("snapshot.bytes");
      snapshotBytes = size == null ? 0 : Long.parseLong(new String(size, StandardCharsets.US_ASCII));
      List<byte[]> log = new ArrayList<>();
      try (KeyValueIterator<String, byte[]> it = store.range(segmentKey(0), segmentKey(Integer.MAX_VALUE))) {
        while (it.hasNext()) {
          KeyValue<String, byte[]> kv = it.next();
          log.add(kv.value);
          segment = Integer.parseInt(kv.key.substring("order.".length())) + 1; // go on in a segment of its own
        }
      }
      if (!log.isEmpty()) {
        long t0 = System.nanoTime();
        task.mute(true); // their notices were written before
        restoring = true;
        try {
          replay(log);
        } finally {
          task.mute(false);
          restoring = false;
        }
        diag.warn("task " + context.taskId() + ": restored: " + (parts == null ? "no snapshot" : "a snapshot of "
            + snapshotBytes + " bytes") + ", then " + sinceRecords + " records read again from the input topics ("
            + sinceBytes + " bytes) in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("task " + context.taskId() + ": cannot restore its state", e);
    }
  }

  /** An empty order log: nothing processed since the snapshot. */
  private void newLog() {
    segment = 0;
    segmentEntries = 0;
    sealed.reset();
    runCount = 0;
    sinceRecords = 0;
    sinceBytes = 0;
  }

  private static String segmentKey(int n) {
    String d = Integer.toString(n);
    return "order." + "0000000000".substring(d.length()) + d; // 10 digits: keys sort as numbers
  }

  /** The order log's entries processed again: the records read again from the input topics. */
  private void replay(List<byte[]> log) throws IOException {
    Map<org.apache.kafka.common.TopicPartition, Long> from = new java.util.LinkedHashMap<>();
    for (byte[] seg : log) {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(seg));
      while (in.available() > 0) {
        byte type = in.readByte();
        if (type == RECORDS) {
          from.putIfAbsent(new org.apache.kafka.common.TopicPartition(in.readUTF(), in.readInt()), in.readLong());
          in.readInt();
        } else if (type == IDLE) {
          in.readLong();
        }
      }
    }
    Refetch again = from.isEmpty() ? null : refetch.get();
    try {
      if (again != null) {
        again.start(from);
      }
      java.util.Set<org.apache.kafka.common.TopicPartition> lost = new java.util.HashSet<>();
      for (byte[] seg : log) {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(seg));
        while (in.available() > 0) {
          byte type = in.readByte();
          if (type == IDLE) {
            task.idle(in.readLong());
            continue;
          }
          if (type == REPORT) {
            task.report();
            reported = true;
            continue;
          }
          org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(in.readUTF(),
              in.readInt());
          long first = in.readLong();
          int count = in.readInt();
          for (int i = 0; i < count; i++) {
            ConsumerRecord<byte[], byte[]> r = again.next(tp);
            if (r == null || (i == 0 && r.offset() != first)) {
              if (lost.add(tp)) {
                diag.warn("task " + context.taskId() + ": " + tp.topic() + "/" + tp.partition() + ": the records"
                    + " processed since the last snapshot are not all in the topic any more (from offset " + first
                    + (r == null ? ": none came" : ": the next is " + r.offset()) + "); the state goes on without them");
              }
              if (r == null) {
                break;
              }
            }
            handle(tp.topic(), tp.partition(), r.offset(), r.key(), r.value());
            sinceRecords++;
            sinceBytes += size(r.value());
            reported = false;
          }
        }
      }
    } finally {
      if (again != null) {
        again.close();
      }
    }
  }

  private static int size(byte[] value) {
    return value == null ? 0 : value.length;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata m = context.recordMetadata().orElseThrow();
    try {
      logRecord(m.topic(), m.partition(), m.offset());
      Event read = AvailabilityTime.taken(m.topic(), m.partition(), m.offset());
      if (read != null) {
        reader(m.topic(), m.partition()).counted();
        task.process(read); // read once, by the timestamp extractor
      } else {
        handle(m.topic(), m.partition(), m.offset(), record.key(), record.value());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    sinceRecords++;
    sinceBytes += size(record.value());
    lastRecordWall = context.currentSystemTimeMs();
    if (reported) {
      reported = false;
      store.delete("reported");
    }
    idleSteps = 0;
    // a new snapshot once the records since outweigh the last one (so that writing snapshots costs at most about
    // what reading the records again on a restore costs, however large the state) and are at least snapshot_records
    if (sinceRecords >= settings.streams().snapshotRecords() && sinceBytes >= snapshotBytes) {
      snapshot();
    }
  }

  private void handle(String topic, int partition, long offset, byte[] key, byte[] value) throws IOException {
    java.util.function.BiConsumer<Long, String> bad = deadLetters && !restoring ? (off, why) -> context.forward(
        new Record<>(key, value, context.currentSystemTimeMs(), // not the log time: retention would delete it
            org.bottrace.pipeline.DeadLetters.headers(topic, partition, off, why)), BottraceTopology.DEAD_LETTERS) : null;
    Event e = reader(topic, partition).event(offset, key, value, bad);
    if (e != null) {
      task.process(e);
    }
  }

  private RecordReader reader(String topic, int partition) {
    return readers.computeIfAbsent(topic + "/" + partition,
        k -> new RecordReader(topic, partition, settings.kafka().topicLogs(), diag));
  }

  /** The record at {@code offset} of topic/partition joins the order log (its run, or a new one). */
  private void logRecord(String topic, int partition, long offset) throws IOException {
    if (runCount > 0 && partition == runPartition && offset > runLast && topic.equals(runTopic)) {
      runCount++;
      runLast = offset;
    } else {
      sealRun();
      runTopic = topic;
      runPartition = partition;
      runFirst = offset;
      runLast = offset;
      runCount = 1;
    }
    writeSegment();
  }

  /** The run being written is done: into the segment's sealed entries (a new segment when it is full). */
  private void sealRun() throws IOException {
    if (runCount == 0) {
      return;
    }
    writeRun(new DataOutputStream(sealed));
    runCount = 0;
    sealedEntry();
  }

  /** The run being written as an entry of the log: topic, partition, first offset, count. */
  private void writeRun(DataOutputStream out) throws IOException {
    out.writeByte(RECORDS);
    out.writeUTF(runTopic);
    out.writeInt(runPartition);
    out.writeLong(runFirst);
    out.writeInt(runCount);
  }

  /** One more sealed entry in the segment; a full segment is written once more and the next one begun. */
  private void sealedEntry() {
    if (++segmentEntries >= SEGMENT) {
      writeSegment();
      segment++;
      segmentEntries = 0;
      sealed.reset();
    }
  }

  /** An idle step or a report, in the log after the records before it. */
  private void logEntry(byte[] entry) throws IOException {
    sealRun();
    sealed.write(entry);
    sealedEntry();
    writeSegment();
  }

  /** The segment as it is now into the store (cached: the changelog gets the last value of each commit). */
  private void writeSegment() {
    ByteArrayOutputStream b = new ByteArrayOutputStream(sealed.size() + 64);
    try {
      sealed.writeTo(b);
      if (runCount > 0) {
        writeRun(new DataOutputStream(b));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (b.size() > 0) {
      store.put(segmentKey(segment), b.toByteArray());
    }
  }

  /** The whole state into the store; the order log before it is dropped. */
  private void snapshot() {
    byte[] snap;
    try {
      snap = task.snapshot();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    byte[] had = store.get("snapshot.parts");
    int old = had == null ? 0 : Integer.parseInt(new String(had, StandardCharsets.US_ASCII));
    int n = 0;
    for (int off = 0; off < snap.length || n == 0; off += PART) {
      store.put("snapshot." + n, java.util.Arrays.copyOfRange(snap, off, Math.min(snap.length, off + PART)));
      n++;
    }
    for (int i = n; i < old; i++) {
      store.delete("snapshot." + i);
    }
    store.put("snapshot.parts", Integer.toString(n).getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i <= segment; i++) {
      store.delete(segmentKey(i)); // the log is in the snapshot now
    }
    newLog();
    snapshotBytes = snap.length;
    store.put("snapshot.bytes", Long.toString(snapshotBytes).getBytes(StandardCharsets.US_ASCII));
  }

  /** Every second of wall-clock time: a quiet task's log time moves on; past report_when_idle, it reports. */
  private void quiet(long nowMs) {
    long quietNanos = Math.max(0, nowMs - lastRecordWall) * 1_000_000L;
    try {
      long idleAfter = settings.idleAdvance().toNanos();
      if (quietNanos >= idleAfter) {
        long quietMicros = quietNanos / 1000;
        logEntry(idleEntry(quietMicros));
        task.idle(quietMicros);
        idleSteps++;
      }
      Duration report = settings.streams().reportWhenIdle();
      if (report != null && !reported && quietNanos >= report.toNanos() && (sinceRecords > 0 || snapshotBytes > 0)) {
        logEntry(new byte[] {REPORT});
        task.report();
        reported = true;
        store.put("reported", new byte[] {1}); // kept when a snapshot drops the entry: a restore reports no more
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (idleSteps >= 60) {
      snapshot(); // a quiet hour is not kept as 3,600 steps
      idleSteps = 0;
    }
    publish(nowMs);
  }

  private static byte[] idleEntry(long quietMicros) {
    ByteArrayOutputStream b = new ByteArrayOutputStream(9);
    DataOutputStream out = new DataOutputStream(b);
    try {
      out.writeByte(IDLE);
      out.writeLong(quietMicros);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toByteArray();
  }

  private void publish(long wallMillis) {
    long records = 0;
    long malformed = 0;
    for (RecordReader r : readers.values()) {
      records += r.records();
      malformed += r.malformed();
    }
    task.publish(counters, records, malformed, wallMillis);
  }

  @Override
  public void close() {
    // the store holds everything; nothing to flush
    counters.unregister();
  }
}
