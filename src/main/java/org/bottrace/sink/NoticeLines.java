package org.bottrace.sink;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * Notices as the values of Kafka records: each one JSON line of the configured format without its newline
 * (json or ecs; a Zeek log has no meaning on a topic, so zeek gives json). Not thread-safe.
 */
public final class NoticeLines {
  private final ByteArrayOutputStream buf = new ByteArrayOutputStream(2048);
  private final NoticeSink lines;

  public NoticeLines(String format) {
    this.lines = NoticeSink.of(format.equals("zeek") ? "json" : format, buf, false);
  }

  /** The notice's line. */
  public byte[] of(Notice n) throws IOException {
    buf.reset();
    lines.write(n);
    lines.flush();
    byte[] b = buf.toByteArray();
    int len = b.length;
    while (len > 0 && (b[len - 1] == '\n' || b[len - 1] == '\r')) {
      len--;
    }
    return len == b.length ? b : Arrays.copyOf(b, len);
  }
}
