package org.bottrace.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Counts of a run, for the summary line and the --stats file. */
public final class RunStats {
  /**
   * One input file.
   *
   * @param path as given
   * @param kind the log it holds
   * @param records records read
   * @param malformed records skipped as malformed
   */
  public record FileStats(String path, String kind, long records, long malformed) {}

  final List<FileStats> files = new ArrayList<>();
  final Map<String, Long> notices = new TreeMap<>();
  final Map<String, Long> allowlisted = new TreeMap<>();
  /** Findings not written for being below notices.min_severity, per note. */
  final Map<String, Long> belowSeverity = new TreeMap<>();
  /** What bounds inside detector state made them forget, by kind. */
  final Map<String, Long> evicted = new java.util.concurrent.ConcurrentSkipListMap<>();
  long late;
  /** The log time of the earliest and the latest record read (microseconds), Long.MAX/MIN_VALUE before any. */
  long firstTs = Long.MAX_VALUE;
  long lastTs = Long.MIN_VALUE;
  long suppressed;
  long detectorErrors;
  long unreadable;

  public List<FileStats> files() {
    return files;
  }

  /** Notices written per note. */
  public Map<String, Long> notices() {
    return notices;
  }

  /** Findings dropped by the allowlist, per note. */
  public Map<String, Long> evicted() {
    return evicted;
  }

  public Map<String, Long> allowlisted() {
    return allowlisted;
  }

  /** Findings not written for being below notices.min_severity, per note. */
  public Map<String, Long> belowSeverity() {
    return belowSeverity;
  }

  /** Records that arrived later than the lateness bound allows. */
  /** The log time of the earliest record read (microseconds), or Long.MAX_VALUE before any. */
  public long firstTs() {
    return firstTs;
  }

  /** The log time of the latest record read (microseconds), or Long.MIN_VALUE before any. */
  public long lastTs() {
    return lastTs;
  }

  public long late() {
    return late;
  }

  /** Findings suppressed as repeats. */
  public long suppressed() {
    return suppressed;
  }

  /** Records a detector failed on (a bug; each is reported). */
  public long detectorErrors() {
    return detectorErrors;
  }

  /** Files that could not be read to their end. */
  public long unreadable() {
    return unreadable;
  }

  public long records() {
    return files.stream().mapToLong(FileStats::records).sum();
  }

  public long malformed() {
    return files.stream().mapToLong(FileStats::malformed).sum();
  }

  public long noticeCount() {
    return notices.values().stream().mapToLong(Long::longValue).sum();
  }
}
