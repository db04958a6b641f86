package org.bottrace.streams;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.bottrace.sink.Notice;
import org.bottrace.sink.NoticeLines;
import org.bottrace.sink.NoticeSink;

/**
 * A task's notices forwarded to the notices topic: each as one JSON line of the configured format (json or
 * ecs; zeek gives json), keyed by its subject id, timestamped with its log time.
 */
final class ForwardingSink implements NoticeSink {
  private final ProcessorContext<byte[], byte[]> context;
  private final NoticeLines lines;

  ForwardingSink(ProcessorContext<byte[], byte[]> context, String format) {
    this.context = context;
    this.lines = new NoticeLines(format);
  }

  @Override
  public void write(Notice n) throws IOException {
    long ms = Math.max(0, Math.floorDiv(n.finding().ts(), 1000L));
    context.forward(new Record<>(n.subject().getBytes(StandardCharsets.UTF_8), lines.of(n), ms),
        BottraceTopology.NOTICES);
  }

  @Override
  public void flush() {
    // forwarded records are written by Streams, in the task's transaction
  }

  @Override
  public void close() {
    // nothing held
  }
}
