package org.bottrace.sink;

import java.io.Closeable;
import java.io.IOException;

/** Writes notices. Not thread-safe: the pipeline calls it from one thread. */
public interface NoticeSink extends Closeable {
  void write(Notice n) throws IOException;

  /** Pushes everything written so far to the operating system. */
  void flush() throws IOException;

  /** The formats {@link #of} makes: JSON lines (the default), ECS JSON lines, a Zeek log. */
  java.util.List<String> FORMATS = java.util.List.of("json", "ecs", "zeek");

  /**
   * A sink of a format of {@link #FORMATS} writing to {@code out}; {@code appending} tells the Zeek log
   * that the file has its header already.
   */
  static NoticeSink of(String format, java.io.OutputStream out, boolean appending) {
    return switch (format) {
      case "zeek" -> new ZeekNoticeSink(out, appending);
      case "ecs" -> new EcsNoticeSink(out);
      default -> new JsonNoticeSink(out);
    };
  }
}
