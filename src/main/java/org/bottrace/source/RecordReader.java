package org.bottrace.source;

import java.util.Map;

/**
 * Reads the records of one Kafka topic partition as {@link LogFileReader} reads the lines of a file: into
 * chunks ({@link #add}), parsed anywhere ({@link #parse}), taken in order ({@link #take}), with records and
 * malformed ones counted and each malformed one reported as {@code topic/partition:offset}. A record's
 * offset stands for the line number and the position; a chunk resumes at its last offset + 1.
 */
public final class RecordReader {
  private final String name;
  private final String topic;
  private final Map<String, String> topicLogs;
  private final Diagnostics diag;
  private final ZeekTsvParser.Header noHeader = new ZeekTsvParser(null).current();
  private long records;
  private long malformed;

  /**
   * @param topic the partition's topic
   * @param partition the partition
   * @param topicLogs topic to Zeek log, for plain Zeek JSON topics whose name does not say
   * @param diag where malformed records are reported
   */
  public RecordReader(String topic, int partition, Map<String, String> topicLogs, Diagnostics diag) {
    this.name = topic + "/" + partition;
    this.topic = topic;
    this.topicLogs = topicLogs;
    this.diag = diag;
  }

  /** A chunk for the records to come. */
  public Chunk start() {
    return new Chunk(noHeader, 1 << 16);
  }

  /** Whether {@code c} holds as many records as a chunk may. */
  public static boolean full(Chunk c) {
    return c.full();
  }

  /** Adds one record; one that cannot be decoded is kept as malformed, with the reason. */
  public void add(Chunk c, long offset, byte[] key, byte[] value) {
    try {
      c.addRecord(KafkaRecords.decode(topic, key, value, topicLogs), offset);
    } catch (MalformedException e) {
      c.addBad(offset, e.getMessage());
    }
  }

  /**
   * One record read alone (Kafka Streams hands them over one by one): its event, or null when it has none (a
   * log or event type bottrace does not use) or is malformed (counted and reported).
   */
  public org.bottrace.event.Event event(long offset, byte[] key, byte[] value) {
    return event(offset, key, value, null);
  }

  /** As {@link #event(long, byte[], byte[])}, telling {@code bad} (when not null) a malformed record's reason. */
  public org.bottrace.event.Event event(long offset, byte[] key, byte[] value,
      java.util.function.BiConsumer<Long, String> bad) {
    records++;
    try {
      KafkaRecords.Line l = KafkaRecords.decode(topic, key, value, topicLogs);
      if (l.len() > LineReader.MAX_LINE) {
        throw new MalformedException("line longer than " + LineReader.MAX_LINE + " bytes");
      }
      return LogFileReader.jsonEvent(l.buf(), l.off(), l.len(), l.kind(), null);
    } catch (MalformedException e) {
      malformed++;
      diag.malformed(name, offset, e.getMessage());
      if (bad != null) {
        bad.accept(offset, e.getMessage());
      }
      return null;
    }
  }

  /** Counts a record whose event was read elsewhere (Kafka Streams' timestamp extractor). */
  public void counted() {
    records++;
  }

  /** Parses a chunk's records into events. Thread-safe: it touches nothing but the chunk. */
  public void parse(Chunk c) {
    LogFileReader.parse(c, null);
  }

  /** Accounts for a parsed chunk: counts and malformed-record reports. Call in offset order. */
  public void take(Chunk c) {
    take(c, null);
  }

  /** As {@link #take(Chunk)}, telling {@code bad} (when not null) each malformed record's offset and reason. */
  public void take(Chunk c, java.util.function.BiConsumer<Long, String> bad) {
    records += c.records;
    // records that could not be decoded were noted as they were added, the others' problems by parse: in offset order
    c.problems.sort(java.util.Comparator.comparingLong(p -> (Long) p[0]));
    for (Object[] p : c.problems) {
      malformed++;
      diag.malformed(name, (Long) p[0], (String) p[1]);
      if (bad != null) {
        bad.accept((Long) p[0], (String) p[1]);
      }
    }
  }

  /** How messages name the partition: topic/partition. */
  public String name() {
    return name;
  }

  /** Records read so far (malformed ones included). */
  public long records() {
    return records;
  }

  /** Malformed records skipped so far. */
  public long malformed() {
    return malformed;
  }
}
