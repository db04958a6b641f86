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

/** The status of {@code bottrace run}: one short line on stderr, the detail in the JSON status file. */
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
    java.util.List<Follow.SourceStatus> sources = follow.status();
    java.util.Map<Path, Double> rates = new java.util.HashMap<>();
    for (Follow.SourceStatus s : sources) {
      rates.put(s.path(), (s.lines() - lastLines.getOrDefault(s.path(), 0L)) / secs);
      lastLines.put(s.path(), s.lines());
    }
    this.rates = rates;
    err.println(line(rate, stats.late(), stats.noticeCount(), sources, pipeline.store().info(), stats.evicted()));
    if (file != null) {
      write(rate);
    }
  }

  /**
   * One short line: the rate, late records and notices; how many inputs are reading, idle or not there
   * yet; the bytes not yet read and how far the most behind input's log time is from the newest; malformed
   * lines; the caches summed (the status file has each input and cache).
   */
  static String line(double rate, long late, long notices, java.util.List<Follow.SourceStatus> sources,
      java.util.List<StateStore.CacheInfo> caches, java.util.Map<String, Long> evictedInside) {
    StringBuilder b = new StringBuilder("bottrace run: ");
    b.append(String.format(java.util.Locale.ROOT, "%.0f records/s, %d late, %d notices; ", rate, late, notices));
    long newest = Long.MIN_VALUE;
    int reading = 0;
    int idle = 0;
    int waiting = 0;
    long lag = 0;
    long malformed = 0;
    for (Follow.SourceStatus s : sources) {
      newest = Math.max(newest, s.logTime());
      lag += s.lagBytes();
      malformed += s.malformed();
      if (s.lines() == 0 && s.logTime() == Long.MIN_VALUE) {
        waiting++;
      } else if (s.idle()) {
        idle++;
      } else {
        reading++;
      }
    }
    b.append(sources.size()).append(sources.size() == 1 ? " input (" : " inputs (").append(reading).append(" reading");
    if (idle > 0) {
      b.append(", ").append(idle).append(" idle");
    }
    if (waiting > 0) {
      b.append(", ").append(waiting).append(" not written yet");
    }
    b.append(")");
    if (lag > 0) {
      b.append(", ").append(bytes(lag)).append(" unread");
    }
    Follow.SourceStatus behind = null;
    for (Follow.SourceStatus s : sources) {
      // an idle input with nothing unread is quiet, not behind (a dns.log at night)
      boolean quiet = s.idle() && s.lagBytes() == 0;
      if (!quiet && s.logTime() != Long.MIN_VALUE && (behind == null || s.logTime() < behind.logTime())) {
        behind = s;
      }
    }
    if (behind != null && newest - behind.logTime() >= 1_000_000L) {
      b.append(String.format(java.util.Locale.ROOT, ", %s %.0f s behind the newest log time",
          behind.path().getFileName(), (newest - behind.logTime()) / 1e6));
    }
    if (malformed > 0) {
      b.append(", ").append(malformed).append(" malformed");
    }
    long entries = 0;
    long evicted = 0;
    for (StateStore.CacheInfo c : caches) {
      entries += c.size();
      evicted += c.evictions();
    }
    for (long e : evictedInside.values()) {
      evicted += e;
    }
    b.append("; state ").append(entries).append(" entries, ").append(evicted).append(" evicted");
    return b.toString();
  }

  private static String bytes(long n) {
    return n < 1024 ? n + " B" : n < 1 << 20 ? String.format(java.util.Locale.ROOT, "%.1f KiB", n / 1024.0)
        : String.format(java.util.Locale.ROOT, "%.1f MiB", n / (double) (1 << 20));
  }

  private void write(double rate) {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (JsonGenerator g = new JsonFactory().createGenerator(tmp.toFile(), JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeNumberField("records_per_s", Math.round(rate));
      g.writeNumberField("records", follow.processed());
      g.writeNumberField("late", stats.late());
      g.writeNumberField("notices", stats.noticeCount());
      java.util.List<Follow.SourceStatus> sources = follow.status();
      long newest = Long.MIN_VALUE;
      for (Follow.SourceStatus s : sources) {
        newest = Math.max(newest, s.logTime());
      }
      g.writeArrayFieldStart("sources");
      for (Follow.SourceStatus s : sources) {
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
        if (s.logTime() != Long.MIN_VALUE) {
          g.writeStringField("log_time", org.bottrace.event.Micros.formatIso(s.logTime()));
          g.writeNumberField("behind_s", Math.round((newest - s.logTime()) / 1e3) / 1e3);
        }
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
