package org.bottrace.sink;

import java.io.Closeable;
import java.io.IOException;

/** Writes notices. Not thread-safe: the pipeline calls it from one thread. */
public interface NoticeSink extends Closeable {
  void write(Notice n) throws IOException;

  /** Pushes everything written so far to the operating system. */
  void flush() throws IOException;
}
