package org.bottrace.cli;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * The most heap a run kept alive, from above: the largest heap occupancy right after a garbage
 * collection. Unlike the heap's peak (which only says how much garbage the collector let pile up), it
 * follows what the run's state needs and must stay bounded whatever the input size; after a young
 * collection it still counts the old generation's garbage, so the state itself can be much less (a
 * full collection's class histogram says how much).
 */
final class HeapWatch {
  private static final AtomicLong PEAK = new AtomicLong();
  private static volatile boolean started;

  private HeapWatch() {}

  static synchronized void start() {
    if (started) {
      return;
    }
    started = true;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter) {
        ((NotificationEmitter) gc).addNotificationListener((n, h) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            long used = 0;
            for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) {
              used += u.getUsed();
            }
            PEAK.accumulateAndGet(used, Math::max);
          }
        }, null, null);
      }
    }
  }

  /** The largest occupancy after a collection so far (0 when no collection ran), in bytes. */
  static long liveHeapPeak() {
    return PEAK.get();
  }
}
