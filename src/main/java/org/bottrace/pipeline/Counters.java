package org.bottrace.pipeline;

import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.TreeMap;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.bottrace.state.StateStore;

/**
 * A run's counters as one MXBean ({@link CountersMXBean}). The pipeline thread {@link #publish publishes} an
 * immutable copy of its counts; JMX reads that copy from its own threads, never the counts being changed.
 * Counts taken before {@link #baseline} (records a restored Streams task processes again) are left out.
 */
public final class Counters implements CountersMXBean {
  /** One copy of the counts. */
  private record Values(long records, long malformed, long late, Map<String, Long> notices, long suppressed,
      long allowlisted, long belowSeverity, long detectorErrors, long evicted, long stateEntries, long logTimeMicros,
      long updatedMillis) {
    static final Values NONE = new Values(0, 0, 0, Map.of(), 0, 0, 0, 0, 0, 0, Long.MIN_VALUE, -1);

    long noticeCount() {
      return notices.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private volatile Values now = Values.NONE;
  private Values base = Values.NONE;
  /** The last counts published, before the baseline is taken off. */
  private Values raw = Values.NONE;
  private ObjectName name;

  /**
   * Takes the counts as they are now: {@code records} and {@code malformed} from the reader(s), the rest from
   * {@code stats}, the state's size from {@code store}. Called by the thread that changes them.
   */
  public void publish(RunStats stats, long records, long malformed, StateStore store, long wallMillis) {
    long entries = 0;
    for (StateStore.CacheInfo c : store.info()) {
      entries += c.size();
    }
    Values v = new Values(records, malformed, stats.late(), new TreeMap<>(stats.notices()), stats.suppressed(),
        sum(stats.allowlisted()), sum(stats.belowSeverity()), stats.detectorErrors(), sum(stats.evicted()), entries,
        stats.lastTs(), wallMillis);
    Values b = base;
    Map<String, Long> notices = new TreeMap<>();
    for (Map.Entry<String, Long> e : v.notices().entrySet()) {
      long n = e.getValue() - b.notices().getOrDefault(e.getKey(), 0L);
      if (n > 0) {
        notices.put(e.getKey(), n);
      }
    }
    now = new Values(v.records - b.records, v.malformed - b.malformed, v.late - b.late,
        java.util.Collections.unmodifiableMap(notices), v.suppressed - b.suppressed, v.allowlisted - b.allowlisted,
        v.belowSeverity - b.belowSeverity, v.detectorErrors - b.detectorErrors, v.evicted - b.evicted, entries,
        v.logTimeMicros, wallMillis);
    raw = v;
  }

  /** What was published so far no longer counts: the next values are counted from here. */
  public void baseline() {
    base = raw;
    now = new Values(0, 0, 0, Map.of(), 0, 0, 0, 0, 0, raw.stateEntries, raw.logTimeMicros, raw.updatedMillis);
  }

  private static long sum(Map<String, Long> m) {
    long s = 0;
    for (long v : m.values()) {
      s += v;
    }
    return s;
  }

  /**
   * Registers these counters on the platform's MBean server as {@code org.bottrace:type=TYPE} (with
   * {@code task-id=ID} when {@code taskId} is not null), replacing one of that name that is there already.
   * Returns this. A platform without JMX is no error: the counters are then not registered.
   */
  public Counters register(String type, String taskId) {
    try {
      ObjectName n = new ObjectName("org.bottrace:type=" + type + (taskId == null ? "" : ",task-id=" + taskId));
      MBeanServer s = ManagementFactory.getPlatformMBeanServer();
      if (s.isRegistered(n)) {
        s.unregisterMBean(n);
      }
      s.registerMBean(this, n);
      name = n;
    } catch (JMException | SecurityException e) {
      name = null;
    }
    return this;
  }

  /** Takes these counters off the MBean server. */
  public void unregister() {
    if (name == null) {
      return;
    }
    try {
      ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
    } catch (JMException e) {
      // already gone
    }
    name = null;
  }

  @Override
  public long getRecords() {
    return now.records();
  }

  @Override
  public long getMalformed() {
    return now.malformed();
  }

  @Override
  public long getLate() {
    return now.late();
  }

  @Override
  public long getNotices() {
    return now.noticeCount();
  }

  @Override
  public Map<String, Long> getNoticesByNote() {
    return now.notices();
  }

  @Override
  public long getSuppressed() {
    return now.suppressed();
  }

  @Override
  public long getAllowlisted() {
    return now.allowlisted();
  }

  @Override
  public long getBelowSeverity() {
    return now.belowSeverity();
  }

  @Override
  public long getDetectorErrors() {
    return now.detectorErrors();
  }

  @Override
  public long getEvicted() {
    return now.evicted();
  }

  @Override
  public long getStateEntries() {
    return now.stateEntries();
  }

  @Override
  public long getLogTimeMillis() {
    long t = now.logTimeMicros();
    return t == Long.MIN_VALUE ? -1 : Math.floorDiv(t, 1000L);
  }

  @Override
  public long getUpdatedMillis() {
    return now.updatedMillis();
  }
}
