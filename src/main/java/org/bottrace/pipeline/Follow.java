package org.bottrace.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.bottrace.event.Event;
import org.bottrace.source.Chunk;
import org.bottrace.source.TailedFile;

/**
 * Follows logs forever, merging them exactly as {@link Replay} does: the next record is the smallest
 * head by availability time (ties to the earlier source). A source that has no line waiting does not
 * hold the merge: it is read once more after the chosen head was read, and if it still has nothing it
 * has nothing earlier (a sensor writes each log in time order, so a line of another log written before
 * the head was written is on disk by then). So a live run processes records in the order a replay of
 * the same files does, and gives the same notices. When every source has been silent longer than the
 * idle time, log time moves on with the wall clock (its only use), so quiet periods still close
 * sessions.
 */
public final class Follow {
  /** Records read ahead per source at most. */
  static final int MAX_QUEUED = 4 * 1024;

  private record Pending(Chunk chunk, long readAt) {}

  /** One followed log. */
  static final class Source {
    final int index;
    final Feed tail;
    final ArrayDeque<Pending> pending = new ArrayDeque<>();
    int pos; // next event of pending.peekFirst()
    long polledAt; // poll sequence number of the last read
    long lastData; // wall clock nanos of the last lines read
    long lines;
    /** The log time (availability time) of the newest record merged from it, or Long.MIN_VALUE. */
    long logTime = Long.MIN_VALUE;
    /** Where to resume once every chunk read is consumed (null: where the feed says it stands). */
    Object consumed;

    Source(int index, Feed tail, long now) {
      this.index = index;
      this.tail = tail;
      this.lastData = now;
    }

    Event head() {
      while (!pending.isEmpty()) {
        Chunk c = pending.peekFirst().chunk();
        if (pos < c.eventCount()) {
          return c.event(pos);
        }
        // the whole chunk is consumed: resume after its last line
        consumed = tail.positionAt(c, c.endOffset());
        pending.pollFirst();
        pos = 0;
      }
      return null;
    }

    /** Where to resume so that exactly the records not yet processed are read again. */
    Object position() {
      Pending first = pending.peekFirst();
      if (first != null) {
        Chunk c = first.chunk();
        long off = pos == 0 ? c.startOffset() : pos >= c.eventCount() ? c.endOffset() : c.eventEnd(pos - 1);
        return tail.positionAt(c, off);
      }
      return consumed != null ? consumed : tail.position();
    }

    long headReadAt() {
      return pending.peekFirst().readAt();
    }

    /** Consumes the head returned by {@link #head()}. */
    void pop() {
      Chunk c = pending.peekFirst().chunk();
      consumed = tail.positionAt(c, c.eventEnd(pos));
      pos++;
    }

    int queued() {
      int n = -pos;
      for (Pending p : pending) {
        n += p.chunk().eventCount();
      }
      return n;
    }
  }

  /**
   * One followed input: a log file ({@link TailedFile}) or a Kafka topic partition. Chunks come in the input's
   * order; a position says where to resume so that the records after it are read again.
   */
  public interface Feed {
    /** The next chunk that can be read now, or null. */
    Chunk next() throws IOException;

    /** Where the input stands after everything returned so far; null when not known. */
    Object position();

    /** The position at {@code offset} within chunk {@code c} (an offset between two of its records). */
    Object positionAt(Chunk c, long offset);

    /** The checkpoint's entry for a position: the input named, and where. */
    void write(com.fasterxml.jackson.databind.node.ObjectNode entry, Object position);

    /** How the status names it. */
    Path path();

    /** Bytes not yet read (files), 0 where unknown. */
    long lag();

    long malformed();

    long rotations();

    long truncations();
  }

  /** A followed file as a feed. */
  public static Feed of(TailedFile t) {
    return new Feed() {
      @Override
      public Chunk next() {
        return t.next();
      }

      @Override
      public Object position() {
        return t.position();
      }

      @Override
      public Object positionAt(Chunk c, long offset) {
        return new TailedFile.Position(c.file(), offset, c.headerLines());
      }

      @Override
      public void write(com.fasterxml.jackson.databind.node.ObjectNode entry, Object position) {
        entry.put("path", t.path().toString());
        TailedFile.Position p = (TailedFile.Position) position;
        if (p != null && p.file() != null) {
          entry.set("position", Checkpoints.MAPPER.valueToTree(p));
        }
      }

      @Override
      public Path path() {
        return t.path();
      }

      @Override
      public long lag() {
        return t.lag();
      }

      @Override
      public long malformed() {
        return t.malformed();
      }

      @Override
      public long rotations() {
        return t.rotations();
      }

      @Override
      public long truncations() {
        return t.truncations();
      }
    };
  }

  private final List<Source> sources = new ArrayList<>();
  private final Pipeline pipeline;
  private final Driver driver;
  private final long idleNanos;
  private final LongSupplier wall;
  private long pollSeq;
  private long processed;

  /**
   * @param tails the followed logs, in the order ties are broken (as replay's file order)
   * @param idleNanos when every source has been silent this long, log time follows the wall clock
   * @param wall the wall clock in nanoseconds (System::nanoTime)
   */
  public Follow(List<TailedFile> tails, Pipeline pipeline, long latenessMicros, long idleNanos, RunStats stats,
      LongSupplier wall) {
    this(tails.stream().map(Follow::of).toList(), latenessMicros, idleNanos, stats, wall, pipeline);
  }

  /** As above, over any feeds: files, Kafka partitions ({@link KafkaInput#feeds()}), or both. */
  public Follow(List<Feed> feeds, long latenessMicros, long idleNanos, RunStats stats, LongSupplier wall,
      Pipeline pipeline) {
    this.pipeline = pipeline;
    this.driver = new Driver(pipeline, stats, latenessMicros);
    this.idleNanos = idleNanos;
    this.wall = wall;
    long now = wall.getAsLong();
    for (int i = 0; i < feeds.size(); i++) {
      sources.add(new Source(i, feeds.get(i), now));
    }
  }

  private void poll(Source s, long now) throws IOException {
    s.polledAt = ++pollSeq;
    Chunk c;
    int chunks = 0;
    while (s.queued() < MAX_QUEUED && chunks < 8 && (c = s.tail.next()) != null) {
      s.pending.addLast(new Pending(c, s.polledAt));
      s.lines += c.lineCount();
      s.lastData = now;
      chunks++;
    }
  }

  /**
   * Reads what the logs have now and processes every record that may be processed.
   *
   * @return the number of records processed
   */
  public int step() throws IOException {
    long now = wall.getAsLong();
    for (Source s : sources) {
      poll(s, now);
    }
    int n = 0;
    while (true) {
      Source min = null;
      Event best = null;
      for (Source s : sources) {
        Event h = s.head();
        if (h != null && (best == null || h.availableAt() < best.availableAt())) {
          best = h;
          min = s;
        }
      }
      if (best == null) {
        break;
      }
      boolean more = false;
      for (Source s : sources) {
        if (s.head() == null && s.polledAt <= min.headReadAt()) {
          poll(s, now); // read once more after the head was read: anything earlier is on disk now
          more |= s.head() != null;
        }
      }
      if (more) {
        continue;
      }
      min.pop();
      min.logTime = Math.max(min.logTime, best.availableAt());
      driver.process(best);
      n++;
      processed++;
    }
    if (n == 0) {
      long quiet = now - lastData();
      if (quiet >= idleNanos) {
        driver.idle(quiet / 1000);
      }
    }
    return n;
  }

  private long lastData() {
    long l = Long.MIN_VALUE;
    for (Source s : sources) {
      l = Math.max(l, s.lastData);
    }
    return l;
  }

  /**
   * The input is idle (stop-when-idle): detectors report what they hold pending, as at the end of a
   * replay, but keep their state for the checkpoint, so that a later run resumes with it.
   */
  public void finishInput() throws IOException {
    step();
    driver.report();
  }

  /** Whether every source has been silent, with nothing queued, for at least {@code nanos}. */
  public boolean quietFor(long nanos) {
    long now = wall.getAsLong();
    for (Source s : sources) {
      if (!s.pending.isEmpty() || now - s.lastData < nanos) {
        return false;
      }
    }
    return true;
  }

  /**
   * A checkpoint of the run, as fields of the object {@code g} is in: every input's position, the clocks
   * and all detector state (streamed). Call it when the notices it covers are on disk.
   */
  public void checkpoint(com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
    com.fasterxml.jackson.databind.node.ArrayNode inputs = Checkpoints.MAPPER.createArrayNode();
    for (Source s : sources) {
      s.tail.write(inputs.addObject(), s.position());
    }
    g.writeFieldName("inputs");
    g.writeTree(inputs);
    g.writeFieldName("clocks");
    g.writeTree(driver.snapshot());
    g.writeFieldName("state");
    pipeline.snapshot(g);
  }

  /** Follows one more input from now on (a Kafka partition added to a topic); ties go to the older inputs. */
  public void add(Feed feed) {
    sources.add(new Source(sources.size(), feed, wall.getAsLong()));
  }

  /** Where every feed stands now (as {@link #checkpoint} writes it), by feed. */
  public java.util.Map<Feed, Object> positions() {
    java.util.Map<Feed, Object> out = new java.util.HashMap<>();
    for (Source s : sources) {
      out.put(s.tail, s.position());
    }
    return out;
  }

  /** Where a checkpoint says each path is, by path (an input it does not know: absent). */
  public static java.util.Map<String, TailedFile.Position> positions(com.fasterxml.jackson.databind.JsonNode cp)
      throws IOException {
    java.util.Map<String, TailedFile.Position> out = new java.util.HashMap<>();
    for (com.fasterxml.jackson.databind.JsonNode i : cp.path("inputs")) {
      com.fasterxml.jackson.databind.JsonNode p = i.get("position");
      if (p != null && !p.isNull()) {
        out.put(i.path("path").asText(), Checkpoints.MAPPER.treeToValue(p, TailedFile.Position.class));
      }
    }
    return out;
  }

  /** Continues from a checkpoint: clocks and detector state. Returns what could not be restored. */
  public List<String> restore(com.fasterxml.jackson.databind.JsonNode cp) {
    driver.restore(cp.path("clocks"));
    return pipeline.restore(cp.path("state"));
  }

  /** Records processed so far. */
  public long processed() {
    return processed;
  }

  /** Per source: path, lines read, bytes behind the end of its file, rotations. */
  public List<SourceStatus> status() {
    long now = wall.getAsLong();
    List<SourceStatus> out = new ArrayList<>();
    for (Source s : sources) {
      out.add(new SourceStatus(s.tail.path(), s.lines, s.tail.lag(), s.queued(), s.tail.malformed(),
          s.tail.rotations(), s.tail.truncations(), now - s.lastData >= idleNanos, s.logTime));
    }
    return out;
  }

  /**
   * What one source is doing.
   *
   * @param path the followed path
   * @param lines lines read since start
   * @param lagBytes bytes of the open file not yet read
   * @param queued records read but not yet merged
   * @param malformed malformed lines skipped
   * @param rotations rotations followed
   * @param truncations truncations met
   * @param idle whether it has been silent past the idle time
   * @param logTime the log time of the newest record merged from it (microseconds), Long.MIN_VALUE before any
   */
  public record SourceStatus(Path path, long lines, long lagBytes, int queued, long malformed, long rotations,
      long truncations, boolean idle, long logTime) {}
}
