package org.bottrace.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;

/** A sink that writes each notice as one line of text (JSON lines of either shape). */
abstract class LineSink implements NoticeSink {
  private final Writer out;

  LineSink(OutputStream out) {
    this.out = new java.io.BufferedWriter(new java.io.OutputStreamWriter(out, java.nio.charset.StandardCharsets.UTF_8),
        1 << 16);
  }

  /** The notice as one line, without the newline. */
  abstract String line(Notice n);

  @Override
  public void write(Notice n) throws IOException {
    out.write(line(n));
    out.write('\n');
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
