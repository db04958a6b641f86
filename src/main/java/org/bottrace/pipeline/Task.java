package org.bottrace.pipeline;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.bottrace.config.ConfigException;
import org.bottrace.event.Event;
import org.bottrace.sink.Notice;
import org.bottrace.sink.NoticeSink;
import org.bottrace.source.Diagnostics;

/**
 * One bottrace over a sequence of records handed over one by one (a Kafka Streams task): the detectors and
 * the watermark exactly as {@link Follow} drives them, the whole state as one snapshot, and a mute switch for
 * records processed again after a restore (their notices were written before).
 */
public final class Task {
  private final Pipeline pipeline;
  private final Driver driver;
  private final Muted sink;
  private final RunStats stats;

  /** Notices go to {@code sink} unless muted. */
  private static final class Muted implements NoticeSink {
    private final NoticeSink to;
    boolean muted;

    Muted(NoticeSink to) {
      this.to = to;
    }

    @Override
    public void write(Notice n) throws IOException {
      if (!muted) {
        to.write(n);
      }
    }

    @Override
    public void flush() throws IOException {
      to.flush();
    }

    @Override
    public void close() throws IOException {
      to.close();
    }
  }

  /**
   * @throws ConfigException when a detector's configuration is wrong
   */
  public Task(Settings settings, NoticeSink sink, Diagnostics diag, RunStats stats) throws ConfigException {
    this.sink = new Muted(sink);
    this.stats = stats;
    this.pipeline = new Pipeline(settings, this.sink, diag, stats, Pipeline.Mode.RUN, false, null);
    this.driver = new Driver(pipeline, stats, settings.lateness().toNanos() / 1000);
  }

  /** The next record in merge order. */
  public void process(Event e) throws IOException {
    driver.process(e);
  }

  /** Every input silent for {@code quietMicros} of wall-clock time: log time moves on (follow's idle_advance). */
  public void idle(long quietMicros) throws IOException {
    driver.idle(quietMicros);
  }

  /** What detectors hold pending is reported; the state is kept (as at run's --stop-when-idle). */
  public void report() throws IOException {
    driver.report();
  }

  /** While muted, notices are dropped: the records being processed again had theirs written already. */
  public void mute(boolean muted) {
    sink.muted = muted;
  }

  /** The clocks and every detector's state, as a checkpoint holds them (UTF-8 JSON). */
  public byte[] snapshot() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
    try (com.fasterxml.jackson.core.JsonGenerator g = Checkpoints.MAPPER.getFactory().createGenerator(out)) {
      g.writeStartObject();
      g.writeFieldName("clocks");
      g.writeTree(driver.snapshot());
      g.writeFieldName("state");
      pipeline.snapshot(g);
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  /** Continues from a {@link #snapshot}; returns what could not be restored. */
  public List<String> restore(byte[] snapshot) throws IOException {
    com.fasterxml.jackson.databind.JsonNode n = Checkpoints.MAPPER.readTree(snapshot);
    driver.restore(n.path("clocks"));
    return pipeline.restore(n.path("state"));
  }

  /** Publishes the counts to {@code c} (JMX): {@code records} and {@code malformed} from the task's readers. */
  public void publish(Counters c, long records, long malformed, long wallMillis) {
    c.publish(stats, records, malformed, pipeline.store(), wallMillis);
  }

  /** The detectors' names. */
  public List<String> detectorNames() {
    return pipeline.detectorNames();
  }
}
