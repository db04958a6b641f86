package org.bottrace.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Splits a byte stream into lines (LF or CRLF), tracking line numbers and the byte offset after each
 * line. Lines longer than the limit are skipped whole and reported as such. Only complete lines are
 * returned unless {@code takePartialLast} is set (replay of a finished file).
 */
final class LineReader {
  /** Lines longer than this are dropped (counted as malformed by the caller). */
  static final int MAX_LINE = 16 * 1024 * 1024;

  private final InputStream in;
  private final boolean takePartialLast;
  private byte[] buf = new byte[1 << 16];
  private int start;
  private int end;
  private boolean eof;
  /** Whether the stream ended early (a gzip file cut short): what was read before is kept. */
  private boolean truncated;
  private long lineNo;
  private long offset;
  private boolean lastTooLong;

  LineReader(InputStream in, long startOffset, boolean takePartialLast) {
    this.in = in;
    this.offset = startOffset;
    this.takePartialLast = takePartialLast;
  }

  private int rawStart;
  private int rawLength;
  private long lineStart;
  private boolean pushedBack;

  /** Follow mode: the stream may have grown since it said end of file; look again. */
  void resume() {
    eof = false;
  }

  /** The next {@link #nextRaw()} returns the current line again. */
  void pushBack() {
    pushedBack = true;
  }

  /**
   * Advances to the next line without decoding it: false at the end. The line's bytes are
   * {@link #buffer()}[{@link #rawStart()}, +{@link #rawLength()}) until the next call.
   */
  boolean nextRaw() throws IOException {
    if (pushedBack) {
      pushedBack = false;
      return true;
    }
    lastTooLong = false;
    boolean skipping = false;
    while (true) {
      int nl = indexOfNewline(start, end);
      if (nl >= 0) {
        int lineEnd = nl > start && buf[nl - 1] == '\r' ? nl - 1 : nl;
        lineStart = skipping ? lineStart : offset;
        offset += nl + 1 - start;
        lineNo++;
        rawStart = start;
        rawLength = skipping ? 0 : lineEnd - start;
        lastTooLong = skipping;
        start = nl + 1;
        return true;
      }
      if (eof) {
        if (start < end && takePartialLast && !truncated) {
          int lineEnd = buf[end - 1] == '\r' ? end - 1 : end;
          lineStart = offset;
          rawStart = start;
          rawLength = skipping ? 0 : lineEnd - start;
          lastTooLong = skipping;
          offset += end - start;
          lineNo++;
          start = end;
          return true;
        }
        return false;
      }
      if (end - start >= MAX_LINE) {
        // drop what we have of an over-long line and keep scanning for its end
        offset += end - start;
        start = end;
        skipping = true;
      }
      fill();
    }
  }

  /** Byte offset where the line last returned starts. */
  long lineStart() {
    return lineStart;
  }

  byte[] buffer() {
    return buf;
  }

  int rawStart() {
    return rawStart;
  }

  int rawLength() {
    return rawLength;
  }

  /** The current raw line decoded as UTF-8. */
  String text() {
    return new String(buf, rawStart, rawLength, StandardCharsets.UTF_8);
  }

  /** The next line without its terminator, or null at the end. */
  String next() throws IOException {
    return nextRaw() ? text() : null;
  }

  private int indexOfNewline(int from, int to) {
    byte[] b = buf;
    for (int i = from; i < to; i++) {
      if (b[i] == '\n') {
        return i;
      }
    }
    return -1;
  }

  private void fill() throws IOException {
    if (start > 0) {
      System.arraycopy(buf, start, buf, 0, end - start);
      end -= start;
      start = 0;
    }
    if (end == buf.length) {
      byte[] nb = new byte[Math.min(buf.length * 2, MAX_LINE + 1)];
      System.arraycopy(buf, 0, nb, 0, end);
      buf = nb;
    }
    int n;
    try {
      n = in.read(buf, end, buf.length - end);
    } catch (java.io.EOFException cut) {
      // a gzip stream cut short (zcat says "unexpected end of file"): the lines before the cut are
      // good, the one it cut is not
      truncated = true;
      n = -1;
    }
    if (n < 0) {
      eof = true;
    } else {
      end += n;
    }
  }

  /** Whether the stream ended early (a gzip file cut short). */
  boolean truncated() {
    return truncated;
  }

  /** Number of the line last returned, from 1. */
  long lineNo() {
    return lineNo;
  }

  /** Byte offset just after the line last returned (its terminator included). */
  long offset() {
    return offset;
  }

  /** Whether the line last returned was too long and has been dropped (returned as ""). */
  boolean lastTooLong() {
    return lastTooLong;
  }
}
