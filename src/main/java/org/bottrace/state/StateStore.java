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
  /** log2 of the span of the timer wheel's finest bucket in nanoseconds (Caffeine's TimerWheel.SPANS[0]). */
  private static final int TIMER_TICK_SHIFT = 30;
  private final LogClock clock = new LogClock();
  /** The timer tick at which every cache was last cleaned up. */
  private long cleaned = Long.MIN_VALUE;
  private final long defaultMaxEntries;
  private final Map<String, Cache<?, ?>> caches = new LinkedHashMap<>();
  private final Map<String, Codec> codecs = new LinkedHashMap<>();
  private final Map<String, CompactTable<?>> tables = new LinkedHashMap<>();

  /**
   * How a cache's keys and values are written into a checkpoint and read back (Jackson types).
   *
   * @param key the key type
   * @param value the value type
   */
  public record Codec(com.fasterxml.jackson.databind.JavaType key, com.fasterxml.jackson.databind.JavaType value) {
    private static final com.fasterxml.jackson.databind.type.TypeFactory T =
        com.fasterxml.jackson.databind.type.TypeFactory.defaultInstance();

    public static Codec of(Class<?> key, Class<?> value) {
      return new Codec(T.constructType(key), T.constructType(value));
    }

    public static Codec of(com.fasterxml.jackson.core.type.TypeReference<?> key,
        com.fasterxml.jackson.core.type.TypeReference<?> value) {
      return new Codec(T.constructType(key), T.constructType(value));
    }
  }

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
   * @param codec how its entries go into a checkpoint
   * @throws IllegalStateException if the name is taken
   */
  public <K, V> Cache<K, V> newCache(String name, long maxEntries, Duration idle, RemovalListener<K, V> onRemoval,
      Codec codec) {
    long idleNanos = idle.toNanos();
    return build(name, maxEntries, new com.github.benmanes.caffeine.cache.Expiry<K, V>() {
      @Override
      public long expireAfterCreate(K key, V value, long currentTime) {
        return idleNanos;
      }

      @Override
      public long expireAfterUpdate(K key, V value, long currentTime, long currentDuration) {
        return idleNanos;
      }

      @Override
      public long expireAfterRead(K key, V value, long currentTime, long currentDuration) {
        return idleNanos;
      }
    }, onRemoval, codec);
  }

  /**
   * A new {@link CompactTable}, checkpointed with the caches.
   *
   * @param name unique name among caches and tables ("beacon.hosts")
   * @param maxEntries size bound, or 0 for the store's default
   * @param maxLifetime the longest an entry mostly lives past the clock (sizes the live count's ring; a
   *     longer one grows it)
   * @param valueType the type of the entries' objects, for the checkpoint (Void.class: none)
   */
  public <V> CompactTable<V> newTable(String name, long maxEntries, Duration maxLifetime, Class<V> valueType) {
    if (caches.containsKey(name) || tables.containsKey(name)) {
      throw new IllegalStateException("a cache named " + name + " exists already");
    }
    CompactTable<V> t = new CompactTable<>(clock, maxEntries > 0 ? maxEntries : defaultMaxEntries,
        maxLifetime.toNanos() / 1000);
    tables.put(name, t);
    codecs.put(name, Codec.of(Long.class, valueType));
    return t;
  }

  private <K, V> Cache<K, V> build(String name, long maxEntries, com.github.benmanes.caffeine.cache.Expiry<K, V> expiry,
      RemovalListener<K, V> onRemoval, Codec codec) {
    if (caches.containsKey(name) || tables.containsKey(name)) {
      throw new IllegalStateException("a cache named " + name + " exists already");
    }
    Caffeine<Object, Object> b = Caffeine.newBuilder()
        .ticker(clock)
        .executor(Runnable::run)
        .maximumSize(maxEntries > 0 ? maxEntries : defaultMaxEntries)
        .recordStats();
    Caffeine<K, V> typed = b.expireAfter(expiry);
    Cache<K, V> c = onRemoval == null ? typed.build() : typed.removalListener(onRemoval).build();
    caches.put(name, c);
    codecs.put(name, codec);
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
      RemovalListener<K, V> onRemoval, Codec codec) {
    return build(name, maxEntries, new com.github.benmanes.caffeine.cache.Expiry<K, V>() {
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
    }, onRemoval, codec);
  }

  /**
   * Moves the log clock to the watermark and runs expiry in every cache whenever the timer wheel's
   * finest bucket turns over. The clock only moves here; an entry past its time that the wheel has not
   * reached yet is invisible to reads and to a checkpoint (Caffeine skips it), so a checkpoint sees
   * exactly what is alive.
   */
  public void advance(long watermarkMicros) {
    // Caffeine's timer wheel expires nothing before its finest bucket (2^30 ns, about a second) turns
    // over: cleaning up between turns would only cost time
    if (clock.advanceTo(watermarkMicros) && clock.read() >>> TIMER_TICK_SHIFT != cleaned) {
      cleaned = clock.read() >>> TIMER_TICK_SHIFT;
      for (Cache<?, ?> c : caches.values()) {
        if (c.estimatedSize() > 0) { // an empty cache has nothing to expire
          c.cleanUp();
        }
      }
      for (CompactTable<?> t : tables.values()) {
        t.expire();
      }
    }
  }

  /**
   * Every cache's entries with their remaining lifetimes, for a checkpoint, streamed: the fields
   * {@code log_clock} and {@code caches} of the object {@code g} is in, one entry at a time, so a
   * checkpoint needs no more memory than the largest entry.
   *
   * @param mapper writes keys and values
   */
  public void snapshot(com.fasterxml.jackson.core.JsonGenerator g, com.fasterxml.jackson.databind.ObjectMapper mapper)
      throws java.io.IOException {
    g.writeNumberField("log_clock", clock.micros());
    g.writeObjectFieldStart("caches");
    for (Map.Entry<String, Cache<?, ?>> e : caches.entrySet()) {
      g.writeArrayFieldStart(e.getKey());
      snapshot(g, mapper, e.getValue());
      g.writeEndArray();
    }
    for (Map.Entry<String, CompactTable<?>> e : tables.entrySet()) {
      g.writeArrayFieldStart(e.getKey());
      e.getValue().snapshot(g, mapper);
      g.writeEndArray();
    }
    g.writeEndObject();
  }

  private static <K, V> void snapshot(com.fasterxml.jackson.core.JsonGenerator g,
      com.fasterxml.jackson.databind.ObjectMapper mapper, Cache<K, V> cache) throws java.io.IOException {
    var policy = cache.policy().expireVariably().orElseThrow();
    for (Map.Entry<K, V> en : cache.asMap().entrySet()) {
      g.writeStartObject();
      g.writeFieldName("k");
      mapper.writeValue(g, en.getKey());
      g.writeFieldName("v");
      mapper.writeValue(g, en.getValue());
      g.writeNumberField("ttl_ns", policy.getExpiresAfter(en.getKey()).map(Duration::toNanos).orElse(0L));
      g.writeEndObject();
    }
  }

  /**
   * Puts a checkpoint's entries back, each with the lifetime it had left; a cache the checkpoint does
   * not know stays empty, a cache this run does not have is skipped (both reported).
   *
   * @return warnings about what could not be restored
   */
  public java.util.List<String> restore(com.fasterxml.jackson.databind.JsonNode snap,
      com.fasterxml.jackson.databind.ObjectMapper mapper) {
    java.util.List<String> warnings = new java.util.ArrayList<>();
    clock.advanceTo(snap.path("log_clock").asLong(Long.MIN_VALUE));
    com.fasterxml.jackson.databind.JsonNode cs = snap.path("caches");
    for (Map.Entry<String, Cache<?, ?>> e : caches.entrySet()) {
      com.fasterxml.jackson.databind.JsonNode arr = cs.get(e.getKey());
      if (arr == null) {
        warnings.add("the checkpoint has no cache " + e.getKey() + "; it starts empty");
        continue;
      }
      try {
        restore(mapper, arr, e.getValue(), codecs.get(e.getKey()));
      } catch (java.io.IOException | IllegalArgumentException ex) {
        warnings.add("cache " + e.getKey() + " could not be restored (" + ex.getMessage() + "); it starts empty");
        e.getValue().invalidateAll();
      }
    }
    for (Map.Entry<String, CompactTable<?>> e : tables.entrySet()) {
      com.fasterxml.jackson.databind.JsonNode arr = cs.get(e.getKey());
      if (arr == null) {
        warnings.add("the checkpoint has no cache " + e.getKey() + "; it starts empty");
        continue;
      }
      try {
        e.getValue().restore(arr, mapper, codecs.get(e.getKey()).value());
      } catch (java.io.IOException | IllegalArgumentException ex) {
        warnings.add("cache " + e.getKey() + " could not be restored (" + ex.getMessage() + "); it starts with what was read");
      }
    }
    for (java.util.Iterator<String> it = cs.fieldNames(); it.hasNext(); ) {
      String n = it.next();
      if (!caches.containsKey(n) && !tables.containsKey(n)) {
        warnings.add("the checkpoint's cache " + n + " is not used by this configuration; skipped");
      }
    }
    return warnings;
  }

  @SuppressWarnings("unchecked")
  private static <K, V> void restore(com.fasterxml.jackson.databind.ObjectMapper mapper,
      com.fasterxml.jackson.databind.JsonNode arr, Cache<K, V> cache, Codec codec) throws java.io.IOException {
    var policy = cache.policy().expireVariably().orElseThrow();
    for (com.fasterxml.jackson.databind.JsonNode o : arr) {
      K k = (K) mapper.readerFor(codec.key()).readValue(o.get("k"));
      V v = (V) mapper.readerFor(codec.value()).readValue(o.get("v"));
      policy.put(k, v, Duration.ofNanos(Math.max(1, o.path("ttl_ns").asLong())));
    }
  }

  /** Per cache: entries now, evictions for size so far. */
  public List<CacheInfo> info() {
    List<CacheInfo> out = new ArrayList<>();
    for (Map.Entry<String, Cache<?, ?>> e : caches.entrySet()) {
      CacheStats s = e.getValue().stats();
      out.add(new CacheInfo(e.getKey(), e.getValue().estimatedSize(), s.evictionCount()));
    }
    for (Map.Entry<String, CompactTable<?>> e : tables.entrySet()) {
      out.add(new CacheInfo(e.getKey(), e.getValue().live(), e.getValue().evictions()));
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
