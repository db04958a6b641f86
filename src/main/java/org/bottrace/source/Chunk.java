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

  final ZeekTsvParser.Header header;
  byte[] bytes = new byte[8192];
  int size;
  final int[] starts = new int[MAX_LINES];
  final int[] lengths = new int[MAX_LINES];
  final long[] lineNos = new long[MAX_LINES];
  int lines;
  long endOffset;
  long lastLineNo;
  /** Problems found while reading (header lines), reported before the lines' own. */
  final List<Object[]> readProblems = new ArrayList<>(0);

  // filled in by parse
  Event[] events;
  int eventCount;
  long records;
  String firstKind;
  final List<Object[]> problems = new ArrayList<>(0);

  Chunk(ZeekTsvParser.Header header) {
    this.header = header;
  }

  boolean full() {
    return lines == MAX_LINES || size >= MAX_BYTES;
  }

  void add(byte[] buf, int off, int len, long lineNo) {
    if (size + len > bytes.length) {
      bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + len));
    }
    System.arraycopy(buf, off, bytes, size, len);
    starts[lines] = size;
    lengths[lines] = len;
    lineNos[lines] = lineNo;
    size += len;
    lines++;
  }

  /** A line that was too long to keep: a record, malformed. */
  void addTooLong(long lineNo) {
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
}
