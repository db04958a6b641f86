package org.bottrace.pipeline;

import java.util.Map;

/**
 * bottrace's own counters on JMX ({@link Counters}): {@code org.bottrace:type=run} for {@code bottrace run},
 * {@code org.bottrace:type=task,task-id=0_3} for each task of the Streams application. Every value is as of
 * {@link #getUpdatedMillis()}, published by the pipeline thread about once a second.
 */
public interface CountersMXBean {
  /** Records read (lines, Kafka records), malformed ones included. */
  long getRecords();

  /** Records skipped as malformed (each reported on stderr). */
  long getMalformed();

  /** Records that came later than time.lateness allows. */
  long getLate();

  /** Notices written. */
  long getNotices();

  /** Notices written, by note. */
  Map<String, Long> getNoticesByNote();

  /** Findings suppressed as repeats (notices.suppress_interval). */
  long getSuppressed();

  /** Findings the allowlist dropped. */
  long getAllowlisted();

  /** Findings below notices.min_severity (not written). */
  long getBelowSeverity();

  /** Records a detector failed on (a bug; each is reported). */
  long getDetectorErrors();

  /** Entries the state bounds made detectors forget. */
  long getEvicted();

  /** Entries in the detectors' state (hosts, servers, channels, ... summed). */
  long getStateEntries();

  /** The log time of the latest record (ms since the epoch), -1 before any. */
  long getLogTimeMillis();

  /** When these values were taken (ms since the epoch, wall clock), -1 before the first time. */
  long getUpdatedMillis();
}
