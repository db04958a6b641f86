package org.bottrace.source;

import java.util.ArrayList;
import java.util.List;
import org.bottrace.event.Event;

/**
 * A run of consecutive data lines of one file, read in order and parsed possibly on another thread:
 * the lines' bytes, the TSV header in force for them, and after {@link LogFileReader#parse} the
 * events, counts and malformed lines found, to be taken in file order by {@link LogFileReader#take}.
 */
public final class Chunk {
  static final int MAX_LINES = 1024;
  static final int MAX_BYTES = 1 << 18;
  /**
   * The most a chunk's bytes grow to for lines of ordinary length: below half of G1's smallest region
   * (1 MiB), so that no chunk is a humongous object (each of which starts a concurrent GC cycle).
   */
  static final int MAX_CAPACITY = MAX_BYTES + (1 << 16);

  final ZeekTsvParser.Header header;
  byte[] bytes;
  int size;
  final int[] starts = new int[MAX_LINES];
  final int[] lengths = new int[MAX_LINES];
  final long[] lineNos = new long[MAX_LINES];
  final long[] lineEnds = new long[MAX_LINES];
  int lines;
  long startOffset = -1;
  long endOffset;
  long lastLineNo;
  /** Problems found while reading (header lines), reported before the lines' own. */
  final List<Object[]> readProblems = new ArrayList<>(0);

  /** Follow mode: the identity of the file the lines came from. */
  FileId file;
  /** Kafka: per record, the Zeek log it is of when its line cannot say (null for files). */
  String[] kinds;

  // filled in by parse
  Event[] events;
  /** Byte offset just after the line of each event (where a reader resumes once it is consumed). */
  long[] eventEnds;
  int eventCount;
  long records;
  String firstKind;
  final List<Object[]> problems = new ArrayList<>(0);

  /** @param capacity the bytes to start with (the previous chunk's size: a chunk is mostly as large) */
  Chunk(ZeekTsvParser.Header header, int capacity) {
    this.header = header;
    this.bytes = new byte[Math.max(4096, Math.min(capacity, MAX_CAPACITY))];
  }

  boolean full() {
    return lines == MAX_LINES || size >= MAX_BYTES;
  }

  void add(byte[] buf, int off, int len, long lineNo, long lineEnd, long lineStart) {
    if (startOffset < 0) {
      startOffset = lineStart;
    }
    lineEnds[lines] = lineEnd;
    if (size + len > bytes.length) {
      bytes = java.util.Arrays.copyOf(bytes, Math.max(Math.min(bytes.length * 2, MAX_CAPACITY), size + len));
    }
    System.arraycopy(buf, off, bytes, size, len);
    starts[lines] = size;
    lengths[lines] = len;
    lineNos[lines] = lineNo;
    size += len;
    lines++;
  }

  /**
   * A Kafka record's line: its offset stands for the line number and positions (the next record to read
   * after it is at offset + 1).
   */
  void addRecord(KafkaRecords.Line l, long offset) {
    if (kinds == null) {
      kinds = new String[MAX_LINES];
    }
    kinds[lines] = l.kind();
    add(l.buf(), l.off(), l.len(), offset, offset + 1, offset);
    endOffset = offset + 1;
    lastLineNo = offset;
  }

  /** A record that could not be decoded: read, and malformed for the reason given. */
  void addBad(long offset, String reason) {
    problems.add(new Object[] {offset, reason});
    if (startOffset < 0) {
      startOffset = offset;
    }
    endOffset = offset + 1;
    lastLineNo = offset;
    records++;
  }

  /** A line that was too long to keep: a record, malformed. */
  void addTooLong(long lineNo, long lineEnd, long lineStart) {
    if (lines == 0) {
      startOffset = lineStart;
    }
    lineEnds[lines] = lineEnd;
    starts[lines] = size;
    lengths[lines] = -1;
    lineNos[lines] = lineNo;
    lines++;
  }

  /** The events parsed from this chunk, in order. */
  public int eventCount() {
    return eventCount;
  }

  public Event event(int i) {
    return events[i];
  }

  /** Byte offset just after the line event {@code i} came from. */
  public long eventEnd(int i) {
    return eventEnds[i];
  }

  /** Byte offset where the chunk's first line starts. */
  public long startOffset() {
    return startOffset;
  }

  /** Byte offset after the chunk's last line. */
  public long endOffset() {
    return endOffset;
  }

  /** The Zeek header lines in force for this chunk's lines (empty for JSON), to resume after a restart. */
  public java.util.List<String> headerLines() {
    return header.lines;
  }

  /** Follow mode: the file the lines came from; null in replay. */
  public FileId file() {
    return file;
  }

  /** Number of lines in the chunk. */
  public int lineCount() {
    return lines;
  }
}
