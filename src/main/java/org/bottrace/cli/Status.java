package org.bottrace.cli;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.bottrace.pipeline.Follow;
import org.bottrace.pipeline.Pipeline;
import org.bottrace.pipeline.RunStats;
import org.bottrace.state.StateStore;

/** The status line of {@code bottrace run}: per source lag, rate, late and malformed counts, caches. */
final class Status {
  private final PrintWriter err;
  private final Path file;
  private final Follow follow;
  private final Pipeline pipeline;
  private final RunStats stats;
  private long lastProcessed;
  private long lastTime = System.nanoTime();
  private final java.util.Map<Path, Long> lastLines = new java.util.HashMap<>();

  private java.util.Map<Path, Double> rates = java.util.Map.of();

  Status(PrintWriter err, Path file, Follow follow, Pipeline pipeline, RunStats stats) {
    this.err = err;
    this.file = file;
    this.follow = follow;
    this.pipeline = pipeline;
    this.stats = stats;
  }

  void print() {
    long now = System.nanoTime();
    double secs = Math.max(1e-9, (now - lastTime) / 1e9);
    double rate = (follow.processed() - lastProcessed) / secs;
    lastProcessed = follow.processed();
    lastTime = now;
    StringBuilder b = new StringBuilder("bottrace run: ");
    b.append(String.format(java.util.Locale.ROOT, "%.0f records/s, %d late, %d notices;", rate, stats.late(),
        stats.noticeCount()));
    java.util.Map<Path, Double> rates = new java.util.HashMap<>();
    for (Follow.SourceStatus s : follow.status()) {
      double r = (s.lines() - lastLines.getOrDefault(s.path(), 0L)) / secs;
      lastLines.put(s.path(), s.lines());
      rates.put(s.path(), r);
      b.append(' ').append(s.path().getFileName()).append(String.format(java.util.Locale.ROOT, " %.0f lines/s lag %d B",
          r, s.lagBytes()));
      if (s.malformed() > 0) {
        b.append(' ').append(s.malformed()).append(" malformed");
      }
      if (s.idle()) {
        b.append(" (idle)");
      }
      b.append(',');
    }
    this.rates = rates;
    for (StateStore.CacheInfo c : pipeline.store().info()) {
      b.append(' ').append(c.name()).append(' ').append(c.size()).append('/').append(c.evictions()).append(" evicted,");
    }
    for (java.util.Map.Entry<String, Long> e : stats.evicted().entrySet()) {
      b.append(' ').append(e.getKey()).append(' ').append(e.getValue()).append(" evicted,");
    }
    b.setLength(b.length() - 1);
    err.println(b);
    if (file != null) {
      write(rate);
    }
  }

  private void write(double rate) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (JsonGenerator g = new JsonFactory().createGenerator(tmp.toFile(), JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeNumberField("records_per_s", Math.round(rate));
      g.writeNumberField("records", follow.processed());
      g.writeNumberField("late", stats.late());
      g.writeNumberField("notices", stats.noticeCount());
      g.writeArrayFieldStart("sources");
      for (Follow.SourceStatus s : follow.status()) {
        g.writeStartObject();
        g.writeStringField("path", s.path().toString());
        g.writeNumberField("lines", s.lines());
        g.writeNumberField("lag_bytes", s.lagBytes());
        g.writeNumberField("lines_per_s", Math.round(rates.getOrDefault(s.path(), 0.0)));
        g.writeNumberField("malformed", s.malformed());
        g.writeNumberField("queued", s.queued());
        g.writeNumberField("rotations", s.rotations());
        g.writeNumberField("truncations", s.truncations());
        g.writeBooleanField("idle", s.idle());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("caches");
      for (StateStore.CacheInfo c : pipeline.store().info()) {
        g.writeStartObject();
        g.writeStringField("name", c.name());
        g.writeNumberField("size", c.size());
        g.writeNumberField("evictions", c.evictions());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("evicted");
      for (java.util.Map.Entry<String, Long> e : stats.evicted().entrySet()) {
        g.writeNumberField(e.getKey(), e.getValue());
      }
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      err.println("bottrace: cannot write status file " + file + ": " + e.getMessage());
      return;
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      err.println("bottrace: cannot write status file " + file + ": " + e.getMessage());
    }
  }
}
