package org.bottrace.source;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
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
 */
public final class LogFileReader implements Closeable {
  private final String name;
  private final InputStream in;
  private final LineReader lines;
  private final Diagnostics diag;
  private final String nameKind;
  private final ZeekTsvParser tsv;
  private String kind;
  private long records;
  private long malformed;
  private boolean ended;

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
  }

  /** The next event, or null at the end of the file. Records that yield no event are counted and passed. */
  public Event next() throws IOException {
    while (lines.nextRaw()) {
      if (lines.lastTooLong()) {
        records++;
        bad("line longer than " + LineReader.MAX_LINE + " bytes");
        continue;
      }
      int len = lines.rawLength();
      if (len == 0) {
        continue;
      }
      byte c = lines.buffer()[lines.rawStart()];
      try {
        if (c == '{') {
          records++;
          Event e = json(JsonLine.parse(lines.buffer(), lines.rawStart(), len));
          if (e != null) {
            return e;
          }
          continue;
        }
        String line = lines.text();
        if (ZeekTsvParser.isHeader(line)) {
          tsv.header(line);
          if (kind == null && tsv.path() != null && line.stripLeading().startsWith("#path")) {
            kind = tsv.path();
          }
        } else if (!line.isBlank()) {
          records++;
          if (kind == null) {
            kind = tsv.path();
          }
          Event e = tsv.data(line);
          if (e != null) {
            return e;
          }
        }
      } catch (MalformedException e) {
        bad(e.getMessage());
      }
    }
    if (!ended) {
      ended = true;
      diag.endOfFile(name);
    }
    return null;
  }

  private Event json(Map<String, Object> m) throws MalformedException {
    JsonRow r = new JsonRow(m);
    Object et = m.get("event_type");
    if (et instanceof String) {
      if (kind == null) {
        kind = "eve";
      }
      return EveKinds.map((String) et, r);
    }
    Object p = m.get("_path");
    String path = p instanceof String ? (String) p : nameKind;
    if (path == null) {
      throw new MalformedException("neither event_type (Suricata EVE) nor _path (Zeek JSON), and the file name"
          + " names no Zeek log");
    }
    if (kind == null) {
      kind = path;
    }
    return ZeekKinds.map(path, r);
  }

  private void bad(String reason) {
    malformed++;
    diag.malformed(name, lines.lineNo(), reason);
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

  /** Number of the last line read, from 1. */
  public long lineNo() {
    return lines.lineNo();
  }

  /** Byte offset after the last line read, in the uncompressed stream. */
  public long offset() {
    return lines.offset();
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
