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
 * ecs; zeek gives json), keyed by its subject id, timestamped when it is written (wall clock), as run's notices
 * are: the broker rolls and deletes a topic's segments by record time (segment.ms, retention.ms), and a notice of
 * logs older than the retention (a catch-up over last month's logs) timestamped with its log time would be
 * deleted at the broker's next retention check. Its log time is its @timestamp.
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
    context.forward(new Record<>(n.subject().getBytes(StandardCharsets.UTF_8), lines.of(n),
        context.currentSystemTimeMs()),
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
