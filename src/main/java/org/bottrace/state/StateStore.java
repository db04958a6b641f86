package org.bottrace.state;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalListener;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes and keeps every cache of a run: each bounded in size, expiring after a time of inactivity on
 * the {@link LogClock}, its removal listener called on the caller's thread. {@link #advance} moves the
 * clock and runs expiry, so removals happen at a point fixed by the input, not by thread timing.
 */
public final class StateStore {
  private final LogClock clock = new LogClock();
  private final long defaultMaxEntries;
  private final Map<String, Cache<?, ?>> caches = new LinkedHashMap<>();
  private long lastCleanup = Long.MIN_VALUE;

  /** @param defaultMaxEntries the size bound of a cache that does not name its own */
  public StateStore(long defaultMaxEntries) {
    if (defaultMaxEntries < 1) {
      throw new IllegalArgumentException("defaultMaxEntries must be positive: " + defaultMaxEntries);
    }
    this.defaultMaxEntries = defaultMaxEntries;
  }

  /** The log clock these caches expire on. */
  public LogClock clock() {
    return clock;
  }

  /**
   * A new cache.
   *
   * @param name unique name, shown in stats ("irc.sessions")
   * @param maxEntries size bound, or 0 for the store's default
   * @param idle expire an entry this long (log time) after it was last written or read
   * @param onRemoval called when an entry expires, is evicted for size, or is invalidated; may be null
   * @throws IllegalStateException if the name is taken
   */
  public <K, V> Cache<K, V> newCache(String name, long maxEntries, Duration idle, RemovalListener<K, V> onRemoval) {
    if (caches.containsKey(name)) {
      throw new IllegalStateException("a cache named " + name + " exists already");
    }
    Caffeine<Object, Object> b = Caffeine.newBuilder()
        .ticker(clock)
        .executor(Runnable::run)
        .maximumSize(maxEntries > 0 ? maxEntries : defaultMaxEntries)
        .expireAfterAccess(idle)
        .recordStats();
    Cache<K, V> c = onRemoval == null ? b.build() : b.<K, V>removalListener(onRemoval).build();
    caches.put(name, c);
    return c;
  }

  /**
   * A new cache whose entries expire at a deadline of their own, in event time (microseconds): an
   * IRC session is over when the watermark passes its last line plus a quiet time, however far the
   * watermark lagged when the line came. After changing a value in a way that moves its deadline, put
   * it again. Reads do not move deadlines. Entries expire when the watermark reaches the deadline (to
   * within the cache's timer granularity of about a second), on the pipeline's thread.
   *
   * @param deadlineMicros the entry's deadline in event time
   */
  public <K, V> Cache<K, V> newDeadlineCache(String name, long maxEntries, java.util.function.ToLongFunction<V> deadlineMicros,
      RemovalListener<K, V> onRemoval) {
    if (caches.containsKey(name)) {
      throw new IllegalStateException("a cache named " + name + " exists already");
    }
    com.github.benmanes.caffeine.cache.Expiry<K, V> expiry = new com.github.benmanes.caffeine.cache.Expiry<>() {
      private long left(V v, long nowNanos) {
        long d = deadlineMicros.applyAsLong(v);
        long dn = d > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE / 2 : d * 1000;
        return Math.max(0, dn - nowNanos);
      }

      @Override
      public long expireAfterCreate(K key, V value, long currentTime) {
        return left(value, currentTime);
      }

      @Override
      public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
        return left(value, currentTime);
      }

      @Override
      public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
        return currentDuration;
      }
    };
    Caffeine<Object, Object> b = Caffeine.newBuilder()
        .ticker(clock)
        .executor(Runnable::run)
        .maximumSize(maxEntries > 0 ? maxEntries : defaultMaxEntries)
        .recordStats();
    Caffeine<K, V> typed = b.expireAfter(expiry);
    Cache<K, V> c = onRemoval == null ? typed.build() : typed.removalListener(onRemoval).build();
    caches.put(name, c);
    return c;
  }

  /**
   * Moves the log clock to the watermark and runs expiry in every cache once the clock has moved at
   * least a second since the last run (or always, when {@code force}).
   */
  public void advance(long watermarkMicros, boolean force) {
    clock.advanceTo(watermarkMicros);
    long now = clock.micros();
    if (force || lastCleanup == Long.MIN_VALUE || now - lastCleanup >= 1_000_000L) {
      lastCleanup = now;
      for (Cache<?, ?> c : caches.values()) {
        c.cleanUp();
      }
    }
  }

  /** Per cache: entries now, evictions for size so far. */
  public List<CacheInfo> info() {
    List<CacheInfo> out = new ArrayList<>();
    for (Map.Entry<String, Cache<?, ?>> e : caches.entrySet()) {
      CacheStats s = e.getValue().stats();
      out.add(new CacheInfo(e.getKey(), e.getValue().estimatedSize(), s.evictionCount()));
    }
    return out;
  }

  /**
   * What one cache holds.
   *
   * @param name the cache's name
   * @param size entries now
   * @param evictions entries removed for size or expiry so far
   */
  public record CacheInfo(String name, long size, long evictions) {}
}
