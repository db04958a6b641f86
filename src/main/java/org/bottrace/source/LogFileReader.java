package org.bottrace.source;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.bottrace.event.Event;

/**
 * Reads one log file of any supported format, plain or gzip (told by its magic bytes, not its
 * name): Zeek TSV, Zeek JSON or Suricata EVE, decided line by line by the first character, so a
 * file that switches form is still read. Counts records (non-empty, non-header lines) and malformed
 * ones, reporting each malformed line through {@link Diagnostics}.
 *
 * <p>Reading is split in three so that parsing can run on other threads: {@link #readChunk()} reads
 * lines in order and applies TSV header lines as they come; {@link #parse(Chunk)} turns a chunk's lines
 * into events and may run anywhere; {@link #take(Chunk)} accounts for a parsed chunk, in file order.
 * {@link #next()} does all three on the caller's thread.
 */
public final class LogFileReader implements Closeable {
  private static final String TOO_LONG = "line longer than " + LineReader.MAX_LINE + " bytes";

  private final String name;
  private final InputStream in;
  private final LineReader lines;
  private final Diagnostics diag;
  private boolean truncationSaid;
  private final String nameKind;
  private final ZeekTsvParser tsv;
  private String kind;
  private long records;
  private long malformed;
  private long lineNo;
  private long offset;
  private boolean ended;
  private Chunk current;
  private int pos;

  /**
   * Opens a file to read it whole.
   *
   * @param path the file
   * @param displayName how messages name it
   * @param diag where malformed lines are reported
   * @throws IOException if it cannot be opened
   */
  public LogFileReader(Path path, String displayName, Diagnostics diag) throws IOException {
    this(Files.newInputStream(path), displayName, path.getFileName().toString(), 0, true, diag);
  }

  /**
   * Reads a stream.
   *
   * @param raw the bytes, plain or gzip
   * @param displayName how messages name it
   * @param fileName the file's name, for telling its log kind when the content does not
   * @param startOffset byte offset of the stream's first byte in the file (for positions)
   * @param takePartialLast whether a last line without newline counts (a finished file)
   * @param diag where malformed lines are reported
   */
  public LogFileReader(InputStream raw, String displayName, String fileName, long startOffset,
      boolean takePartialLast, Diagnostics diag) throws IOException {
    this.name = displayName;
    this.diag = diag;
    BufferedInputStream b = new BufferedInputStream(raw, 1 << 16);
    b.mark(2);
    int m1 = b.read();
    int m2 = b.read();
    b.reset();
    this.in = m1 == 0x1f && m2 == 0x8b ? new GZIPInputStream(b, 1 << 16) : b;
    this.lines = new LineReader(in, startOffset, takePartialLast);
    this.nameKind = ZeekKinds.kindFromFileName(fileName);
    this.tsv = new ZeekTsvParser(nameKind);
    this.offset = startOffset;
  }

  /** The next event, or null at the end of the file. Records that yield no event are counted and passed. */
  public Event next() throws IOException {
    while (true) {
      if (current != null && pos < current.eventCount) {
        return current.events[pos++];
      }
      Chunk c = readChunk();
      if (c == null) {
        finish();
        return null;
      }
      parse(c);
      take(c);
      current = c;
      pos = 0;
    }
  }

  /**
   * Reads the next run of data lines, applying the header lines met before it (a header line ends a
   * run: the lines after it belong to the new header). Null at the end of the file. Not thread-safe.
   */
  public Chunk readChunk() throws IOException {
    Chunk c = null;
    java.util.List<Object[]> headerProblems = null;
    boolean headers = false;
    while (true) {
      if (c != null && c.full()) {
        chunkBytes = c.size;
        return c;
      }
      if (!lines.nextRaw()) {
        if (lines.truncated() && !truncationSaid) {
          truncationSaid = true;
          diag.warn(name + ": the compressed stream ends early (a gzip file cut short?) after line " + lines.lineNo()
              + "; the lines before are read, the rest of the file cannot be");
        }
        if (c == null && (headerProblems != null || headers)) {
          c = start(headerProblems); // no lines, but the header's #path names the file's kind
        }
        if (c != null) {
          c.endOffset = lines.offset();
          c.lastLineNo = lines.lineNo();
        }
        return c;
      }
      if (lines.lastTooLong()) {
        if (c == null) {
          c = start(headerProblems);
        }
        c.addTooLong(lines.lineNo(), lines.offset(), lines.lineStart());
        c.endOffset = lines.offset();
        c.lastLineNo = lines.lineNo();
        continue;
      }
      int len = lines.rawLength();
      if (len == 0) {
        continue;
      }
      byte[] buf = lines.buffer();
      int off = lines.rawStart();
      byte first = buf[off];
      if (first == '#' || ((first == ' ' || first == '\t') && ZeekTsvParser.isHeader(lines.text()))) {
        if (c != null) {
          // the lines read so far go with the header in force; this header line starts a new run
          lines.pushBack();
          return c;
        }
        String line = lines.text();
        try {
          tsv.header(line);
        } catch (MalformedException e) {
          if (headerProblems == null) {
            headerProblems = new java.util.ArrayList<>(1);
          }
          headerProblems.add(new Object[] {lines.lineNo(), e.getMessage()});
        }
        headers = true;
        continue;
      }
      if (c == null) {
        c = start(headerProblems);
        headerProblems = null;
      }
      c.add(buf, off, len, lines.lineNo(), lines.offset(), lines.lineStart());
      c.endOffset = lines.offset();
      c.lastLineNo = lines.lineNo();
    }
  }

  /** The bytes of the last full chunk: the next one starts that large, not doubling up to it. */
  private int chunkBytes = 8192;

  private Chunk start(java.util.List<Object[]> headerProblems) {
    Chunk c = new Chunk(tsv.current(), chunkBytes + chunkBytes / 8);
    if (headerProblems != null) {
      c.readProblems.addAll(headerProblems);
    }
    return c;
  }

  /** Parses a chunk's lines into events. Thread-safe: it touches nothing but the chunk. */
  public void parse(Chunk c) {
    parse(c, nameKind);
  }

  /**
   * Parses a chunk's lines into events; a Zeek JSON line without {@code _path} is of the chunk's record kind
   * (Kafka), else of {@code nameKind} (the file's name says it), else malformed.
   */
  static void parse(Chunk c, String nameKind) {
    Event[] out = new Event[c.lines];
    long[] ends = new long[c.lines];
    int n = 0;
    ZeekTsvParser.TsvRow row = null;
    for (int i = 0; i < c.lines; i++) {
      int len = c.lengths[i];
      c.records++;
      if (len < 0) {
        c.problems.add(new Object[] {c.lineNos[i], TOO_LONG});
        continue;
      }
      int off = c.starts[i];
      try {
        Event e;
        if (len == 0) {
          throw new MalformedException("empty record");
        }
        if (c.bytes[off] == '{') {
          e = jsonEvent(c.bytes, off, len, c.kinds != null && c.kinds[i] != null ? c.kinds[i] : nameKind, c);
        } else {
          String line = new String(c.bytes, off, len, StandardCharsets.UTF_8);
          if (line.isBlank()) {
            c.records--;
            continue;
          }
          if (c.firstKind == null) {
            c.firstKind = c.header.path(nameKind);
          }
          if (row == null) {
            row = new ZeekTsvParser.TsvRow();
          }
          e = ZeekTsvParser.data(c.header, nameKind, row, line);
        }
        if (e != null) {
          ends[n] = c.lineEnds[i];
          out[n++] = e;
        }
      } catch (MalformedException ex) {
        c.problems.add(new Object[] {c.lineNos[i], ex.getMessage()});
      }
    }
    c.events = out;
    c.eventEnds = ends;
    c.eventCount = n;
  }

  private static final byte[] EVENT_TYPE = "\"event_type\"".getBytes(StandardCharsets.US_ASCII);

  /** Whether a JSON line looks like Suricata EVE: it has an "event_type" key (Suricata writes it early). */
  static boolean isEve(byte[] b, int off, int len) {
    int end = off + len - EVENT_TYPE.length;
    outer:
    for (int i = off; i <= end; i++) {
      if (b[i] == '"') {
        for (int k = 1; k < EVENT_TYPE.length; k++) {
          if (b[i + k] != EVENT_TYPE[k]) {
            continue outer;
          }
        }
        int j = i + EVENT_TYPE.length;
        while (j < off + len && (b[j] == ' ' || b[j] == '\t')) {
          j++;
        }
        if (j < off + len && b[j] == ':') {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * One JSON line's event, or null for a log or event type bottrace does not use.
   *
   * @param nameKind the Zeek log it is of when it has no _path and is no EVE, or null
   * @param c the chunk it is of (its first kind is noted), or null for a record read alone (Kafka Streams)
   */
  static Event jsonEvent(byte[] b, int off, int len, String nameKind, Chunk c) throws MalformedException {
    Map<String, Object> m = null;
    if (isEve(b, off, len)) {
      m = JsonLine.parse(b, off, len, EveKinds.FIELDS);
      if (!(m.get("event_type") instanceof String)) {
        m = null; // "event_type" was nested, not Suricata's: read it whole
      }
    }
    return json(c, m != null ? m : JsonLine.parse(b, off, len, null), nameKind);
  }

  private static Event json(Chunk c, Map<String, Object> m, String nameKind) throws MalformedException {
    JsonRow r = new JsonRow(m);
    Object et = m.get("event_type");
    if (et instanceof String) {
      if (c != null && c.firstKind == null) {
        c.firstKind = "eve";
      }
      return EveKinds.map((String) et, r);
    }
    Object p = m.get("_path");
    String path = p instanceof String ? (String) p : nameKind;
    if (path == null) {
      throw new MalformedException("neither event_type (Suricata EVE) nor _path (Zeek JSON), and the "
          + (c == null || c.kinds != null ? "topic, the record key and kafka.topic_logs name" : "file name names")
          + " no Zeek log");
    }
    if (c != null && c.firstKind == null) {
      c.firstKind = path;
    }
    return ZeekKinds.map(path, r);
  }

  /**
   * Follow mode: looks for lines appended since the last {@link #readChunk()} said the end. A partial
   * last line waits until its newline arrives.
   */
  public void resume() {
    lines.resume();
  }

  /** The Zeek header lines in force where reading stands now (empty for JSON). */
  /** Whether the file could not be read to its end (a gzip file cut short). */
  public boolean truncated() {
    return lines.truncated();
  }

  public java.util.List<String> headerLines() {
    return tsv.current().lines;
  }

  /** Rebuilds the Zeek header in force at a resume point from the lines a checkpoint kept. */
  public void restoreHeader(java.util.List<String> headerLines) {
    for (String h : headerLines) {
      try {
        tsv.header(h);
      } catch (MalformedException e) {
        diag.warn(name + ": cannot restore header line from the checkpoint: " + e.getMessage());
      }
    }
  }

  /** Accounts for a parsed chunk: counts, kind, malformed-line reports. Call in file order. */
  public void take(Chunk c) {
    records += c.records;
    for (Object[] p : c.readProblems) {
      bad((Long) p[0], (String) p[1]);
    }
    for (Object[] p : c.problems) {
      malformed++;
      bad((Long) p[0], (String) p[1]);
    }
    if (kind == null) {
      kind = c.firstKind != null ? c.firstKind : c.header.path;
    }
    lineNo = c.lastLineNo;
    offset = c.endOffset;
  }

  /** Called once the last chunk was taken. */
  public void finish() {
    if (!ended) {
      ended = true;
      diag.endOfFile(name);
    }
  }

  private void bad(long line, String reason) {
    diag.malformed(name, line, reason);
  }

  /** The log this file holds: a Zeek path ("conn", "dns", ...), "eve", or "unknown" before anything was read. */
  public String kind() {
    return kind != null ? kind : nameKind != null ? nameKind : "unknown";
  }

  /** Records read so far (malformed ones included). */
  public long records() {
    return records;
  }

  /** Malformed records skipped so far. */
  public long malformed() {
    return malformed;
  }

  /** Number of the last line taken, from 1. */
  public long lineNo() {
    return lineNo;
  }

  /** Byte offset after the last line taken, in the uncompressed stream. */
  public long offset() {
    return offset;
  }

  /** How messages name this file. */
  public String name() {
    return name;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
