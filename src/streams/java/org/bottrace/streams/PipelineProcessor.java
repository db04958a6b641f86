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
 * the whole state in parts of at most 256 KiB, and every record (and every idle step of the clock) since,
 * in order. Every store write is in the same transaction as the notices and the input offsets (exactly
 * once), so whatever a commit covers, the store holds: after a restore, on this instance or another, the
 * snapshot is loaded and the records since are processed again with their notices held back, since they were
 * written before. After at least {@code streams.snapshot_records} records, once the records kept outweigh the
 * last snapshot, a new snapshot replaces it and them.
 */
final class PipelineProcessor implements Processor<byte[], byte[], byte[], byte[]> {
  static final String STORE = "bottrace-state";
  private static final int PART = 256 * 1024;
  private static final byte RECORD = 'R';
  private static final byte IDLE = 'I';
  private static final byte REPORT = 'P';

  private final Settings settings;
  private final Diagnostics diag;
  private ProcessorContext<byte[], byte[]> context;
  private KeyValueStore<String, byte[]> store;
  private Task task;
  private final Map<String, RecordReader> readers = new HashMap<>();
  private long nextSeq;
  private long firstSeq;
  /** The bytes of the records kept since the last snapshot, and of that snapshot. */
  private long tailBytes;
  private long snapshotBytes;
  /** Wall-clock milliseconds (Streams') of the last record. */
  private long lastRecordWall;
  private boolean reported;
  private long idleSteps;
  /** Whether records bottrace cannot read go to kafka.dead_letter_topic (not while restoring: they went before). */
  private final boolean deadLetters;
  private boolean restoring;
  /** The Streams timestamp of the record being processed (a dead letter keeps it). */
  private long recordTs;
  /** bottrace's counters of this task on JMX, org.bottrace:type=task,task-id=... */
  private final org.bottrace.pipeline.Counters counters = new org.bottrace.pipeline.Counters();

  PipelineProcessor(Settings settings, Diagnostics diag) {
    this.settings = settings;
    this.diag = diag;
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
      byte[] first = store.get("tail.first");
      firstSeq = first == null ? 0 : Long.parseLong(new String(first, StandardCharsets.US_ASCII));
      nextSeq = firstSeq;
      task.mute(true); // their notices were written before
      restoring = true;
      try (KeyValueIterator<String, byte[]> it = store.range(tailKey(firstSeq), tailKey(Long.MAX_VALUE))) {
        while (it.hasNext()) {
          KeyValue<String, byte[]> kv = it.next();
          replay(kv.value);
          tailBytes += kv.value.length;
          nextSeq = Long.parseLong(kv.key.substring("tail.".length())) + 1;
        }
      } finally {
        task.mute(false);
        restoring = false;
      }
      byte[] size = store.get("snapshot.bytes");
      snapshotBytes = size == null ? 0 : Long.parseLong(new String(size, StandardCharsets.US_ASCII));
    } catch (IOException e) {
      throw new UncheckedIOException("task " + context.taskId() + ": cannot restore its state", e);
    }
  }

  private static String tailKey(long seq) {
    String d = Long.toString(seq);
    return "tail." + "00000000000000000000".substring(d.length()) + d; // 20 digits: keys sort as numbers
  }

  private void replay(byte[] entry) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(entry));
    byte type = in.readByte();
    if (type == IDLE) {
      task.idle(in.readLong());
      return;
    }
    if (type == REPORT) {
      task.report();
      reported = true;
      return;
    }
    String topic = in.readUTF();
    int partition = in.readInt();
    long offset = in.readLong();
    byte[] key = readBytes(in);
    byte[] value = readBytes(in);
    handle(topic, partition, offset, key, value);
    reported = false;
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    if (b == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(b.length);
      out.write(b);
    }
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata m = context.recordMetadata().orElseThrow();
    recordTs = record.timestamp();
    try {
      ByteArrayOutputStream b = new ByteArrayOutputStream(64 + (record.value() == null ? 0 : record.value().length));
      DataOutputStream out = new DataOutputStream(b);
      out.writeByte(RECORD);
      out.writeUTF(m.topic());
      out.writeInt(m.partition());
      out.writeLong(m.offset());
      writeBytes(out, record.key());
      writeBytes(out, record.value());
      keep(b.toByteArray());
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
    lastRecordWall = context.currentSystemTimeMs();
    if (reported) {
      reported = false;
      store.delete("reported");
    }
    idleSteps = 0;
    // a new snapshot once the records kept since outweigh the last one (so that writing snapshots costs at most
    // about what keeping the records costs, however large the state) and are at least snapshot_records
    if (nextSeq - firstSeq >= settings.streams().snapshotRecords() && tailBytes >= snapshotBytes) {
      snapshot();
    }
  }

  private void handle(String topic, int partition, long offset, byte[] key, byte[] value) throws IOException {
    java.util.function.BiConsumer<Long, String> bad = deadLetters && !restoring ? (off, why) -> context.forward(
        new Record<>(key, value, recordTs,
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

  /** Appends an entry to the records kept since the snapshot. */
  private void keep(byte[] entry) {
    store.put(tailKey(nextSeq), entry);
    nextSeq++;
    tailBytes += entry.length;
  }

  /** The whole state into the store; the records kept before it are dropped. */
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
    List<String> drop = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = store.range(tailKey(firstSeq), tailKey(nextSeq))) {
      while (it.hasNext()) {
        KeyValue<String, byte[]> kv = it.next();
        drop.add(kv.key);
      }
    }
    for (String k : drop) {
      store.delete(k);
    }
    firstSeq = nextSeq;
    store.put("tail.first", Long.toString(firstSeq).getBytes(StandardCharsets.US_ASCII));
    snapshotBytes = snap.length;
    store.put("snapshot.bytes", Long.toString(snapshotBytes).getBytes(StandardCharsets.US_ASCII));
    tailBytes = 0;
  }

  /** Every second of wall-clock time: a quiet task's log time moves on; past report_when_idle, it reports. */
  private void quiet(long nowMs) {
    long quietNanos = Math.max(0, nowMs - lastRecordWall) * 1_000_000L;
    try {
      long idleAfter = settings.idleAdvance().toNanos();
      if (quietNanos >= idleAfter) {
        long quietMicros = quietNanos / 1000;
        keep(idleEntry(quietMicros));
        task.idle(quietMicros);
        idleSteps++;
      }
      Duration report = settings.streams().reportWhenIdle();
      if (report != null && !reported && quietNanos >= report.toNanos() && nextSeq > 0) {
        keep(new byte[] {REPORT});
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
