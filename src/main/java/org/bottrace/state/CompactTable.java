package org.bottrace.state;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * A bounded table of small per-key state in primitive arrays, for keys a detector meets by the million
 * and mostly once (an internal host, a server and port, a host's first call to a server): a 64-bit key
 * (a hash of the real one), a deadline in event time, one long and at most one object per entry. A
 * Caffeine entry costs some hundred bytes and a few map operations; an entry here costs 28 bytes in
 * arrays with two to four times as many slots as the bound (a power of two of sets: 56 bytes an entry at a
 * bound of 2^20), doubled as they fill.
 *
 * <p>Set-associative: a key lives in one of the 32 slots of its set and the next (side by side in
 * memory); the table doubles when those are full, up to its bound, where a new key takes the slot whose
 * entry expires first (an eviction, counted): at most {@code maxEntries} entries are alive, and below
 * the bound an entry gives way only if 33 keys meet in two sets of a table at most half full. An entry is
 * gone for reads once the log clock reaches its deadline (as a Caffeine entry is), and is counted in
 * {@link #live} until the clock leaves the timer tick (2^30 ns) of its deadline: Caffeine's caches drop an
 * entry at the first turn of a tick after its deadline, so a count here can be higher than a cache's by
 * the entries whose deadline passed within the clock's tick. Checkpointed with the caches: {@link
 * StateStore#newTable}.
 *
 * @param <V> the type of the object an entry may hold (null for none)
 */
public final class CompactTable<V> {
  private static final int WAYS = 16;
  /** The largest bound (its slots' arrays must fit Java's arrays). */
  public static final long MAX_ENTRIES = 1L << 27;
  private static final int TICK_SHIFT = 30;

  private final LogClock clock;
  /** Per slot its key (0: free): a set's 16 keys are two cache lines, all a miss reads. */
  private long[] keys;
  /** Per slot its deadline and its long, side by side. */
  private long[] meta;
  private Object[] values;
  private int sets;
  /** The sets at the size bound: the table starts small and doubles up to them. */
  private final int maxSets;
  private final long maxEntries;
  /** Entries counted per deadline tick, a ring over the longest lifetime. */
  private int[] byTick;
  private long firstLiveTick = Long.MIN_VALUE;
  private long live;
  private long evictions;

  /** @param maxLifetimeMicros the longest an entry lives past the clock, mostly (the counting ring's span) */
  CompactTable(LogClock clock, long maxEntries, long maxLifetimeMicros) {
    if (maxEntries < 1 || maxEntries > MAX_ENTRIES) {
      throw new IllegalArgumentException("maxEntries out of range: " + maxEntries);
    }
    this.clock = clock;
    this.maxEntries = maxEntries;
    // twice the slots of the bound, in a power of two of sets: every growth is a doubling
    this.maxSets = Integer.highestOneBit((int) Math.max(2, (2 * maxEntries + WAYS - 1) / WAYS) - 1) * 2;
    this.sets = Math.min(maxSets, 64);
    allocate();
    long ticks = tick(maxLifetimeMicros) + 3;
    this.byTick = new int[Integer.highestOneBit((int) Math.min(1 << 24, ticks)) * 2];
  }

  private void allocate() {
    int n = sets * WAYS;
    keys = new long[n];
    meta = new long[2 * n];
    values = new Object[n];
  }

  /**
   * Twice the sets, the entries alive moved over (the dead ones, which no read sees, are dropped and the
   * live count taken again).
   */
  private void grow() {
    long[] ks = keys;
    long[] d = meta;
    Object[] v = values;
    sets *= 2;
    allocate();
    java.util.Arrays.fill(byTick, 0);
    live = 0;
    long now = now();
    for (int i = 0; i < v.length; i++) {
      long k = ks[i];
      if (k != 0 && d[2 * i] > now) {
        int j = victim(k, false);
        if (alive(j)) {
          evictions++; // a doubled table has room for all but 33 keys meeting in two sets; counted
          uncount(j);
        }
        keys[j] = k;
        meta[2 * j] = d[2 * i];
        meta[2 * j + 1] = d[2 * i + 1];
        values[j] = v[i];
        count(j);
      }
    }
  }

  /** The timer tick of a time in microseconds (saturating as {@link LogClock} does). */
  static long tick(long micros) {
    long nanos = micros > Long.MAX_VALUE / 1000 ? Long.MAX_VALUE / 2 : micros < Long.MIN_VALUE / 1000
        ? Long.MIN_VALUE / 2 : micros * 1000;
    return nanos >> TICK_SHIFT;
  }

  private static long nonzero(long key) {
    return key == 0 ? 0x5bd1e995L : key;
  }

  /** The first slot of the key's set. */
  private int set(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) ((h ^ (h >>> 32)) & (sets - 1)) * WAYS;
  }

  /** The i-th slot of the key's two sets (its set's and the next one's), 0 <= i < 2 * WAYS. */
  private int slot(int base, int i) {
    return (base + i) & (values.length - 1);
  }

  /** The slot holding {@code k} (alive or not), or -1. */
  private int slotOf(long k) {
    int base = set(k);
    for (int i = 0; i < 2 * WAYS; i++) {
      int at = slot(base, i);
      if (keys[at] == k) {
        return at;
      }
    }
    return -1;
  }

  /**
   * Where a new key goes, in its two sets: a free slot, else a dead entry's, else the one that expires
   * first; at the bound ({@code full}) a dead entry's, else the one that expires first even where there is
   * a free slot.
   */
  private int victim(long k, boolean full) {
    int base = set(k);
    if (!full) { // a free slot first, from the keys alone (in cache after the look-up that missed)
      for (int n = 0; n < 2 * WAYS; n++) {
        int i = slot(base, n);
        if (keys[i] == 0) {
          return i;
        }
      }
    }
    long now = now();
    int free = -1;
    int oldest = -1;
    for (int n = 0; n < 2 * WAYS; n++) {
      int i = slot(base, n);
      if (keys[i] == 0) {
        if (free < 0) {
          free = i;
        }
      } else if (meta[2 * i] <= now) {
        return i; // a dead entry's slot: no live entry gives way
      } else if (oldest < 0 || meta[2 * i] < meta[2 * oldest]) {
        oldest = i;
      }
    }
    if (full) {
      return oldest >= 0 ? oldest : free;
    }
    return oldest;
  }

  /** The clock as the caches see it, in microseconds (0 before the first record). */
  public long now() {
    return clock.read() / 1000;
  }

  private boolean alive(int i) {
    return keys[i] != 0 && meta[2 * i] > now();
  }

  private boolean counted(int i) {
    return keys[i] != 0 && tick(meta[2 * i]) >= firstLiveTick;
  }

  /** The slot of {@code key}'s entry if it is alive, else -1. */
  public int find(long key) {
    int i = slotOf(nonzero(key));
    return i >= 0 && alive(i) ? i : -1;
  }

  /**
   * The slot of {@code key}'s entry if it is alive, its deadline moved to {@code idleMicros} past the
   * clock (a read keeps an entry alive, as a Caffeine read does for an idle expiry); else -1.
   */
  public int read(long key, long idleMicros) {
    int i = find(key);
    if (i >= 0) {
      uncount(i);
      meta[2 * i] = now() + idleMicros;
      count(i);
    }
    return i;
  }

  /** The deadline (microseconds) of the entry in {@code slot}. */
  public long deadline(int slot) {
    return meta[2 * slot];
  }

  /** The long of the entry in {@code slot}. */
  public long aux(int slot) {
    return meta[2 * slot + 1];
  }

  /** The object of the entry in {@code slot}, or null. */
  @SuppressWarnings("unchecked")
  public V value(int slot) {
    return (V) values[slot];
  }

  /** Changes the entry in {@code slot} (found by {@link #find}). */
  public void update(int slot, long deadlineMicros, long auxValue, V value) {
    uncount(slot);
    meta[2 * slot] = deadlineMicros;
    meta[2 * slot + 1] = auxValue;
    values[slot] = value;
    count(slot);
  }

  /**
   * Puts an entry for {@code key}, replacing its entry if it has one, else taking a free or expired
   * slot of its set, else the slot whose entry expires first.
   *
   * @return the slot
   */
  public int put(long key, long deadlineMicros, long auxValue, V value) {
    long k = nonzero(key);
    int slot = slotOf(k);
    while (slot < 0) {
      // at the bound an entry gives way even where its set has room
      int v = victim(k, live >= maxEntries && sets == maxSets);
      if (!alive(v)) {
        slot = v;
      } else if (sets == maxSets) {
        evictions++; // a full set at the size bound: the entry that expires first gives way
        slot = v;
      } else {
        grow(); // a full set below the size bound
      }
    }
    uncount(slot);
    keys[slot] = k;
    meta[2 * slot] = deadlineMicros;
    meta[2 * slot + 1] = auxValue;
    values[slot] = value;
    count(slot);
    return slot;
  }

  /** Removes the entry in {@code slot}. */
  public void remove(int slot) {
    uncount(slot);
    keys[slot] = 0;
    values[slot] = null;
  }

  private static final int MAX_RING = 1 << 26;

  private int ring(long tick) {
    return (int) tick & (byTick.length - 1); // a power of two: floorMod without the division
  }

  private void count(int slot) {
    long t = tick(meta[2 * slot]);
    if (firstLiveTick == Long.MIN_VALUE) {
      // no expiry yet: from the clock's tick, or (the clock not set) well before this deadline
      firstLiveTick = clock.micros() != Long.MIN_VALUE ? tick(now()) : t - byTick.length / 2;
    }
    if (t < firstLiveTick) {
      return; // dead already at the grain of a tick
    }
    if (t - firstLiveTick >= byTick.length) {
      grow(slot, t);
      t = tick(meta[2 * slot]);
    }
    byTick[ring(t)]++;
    live++;
  }

  private void uncount(int slot) {
    if (counted(slot)) {
      byTick[ring(tick(meta[2 * slot]))]--;
      live--;
    }
  }

  /** A deadline beyond the ring's span: a longer ring (the entries counted again), up to years. */
  private void grow(int slot, long t) {
    long span = t - firstLiveTick + 1;
    if (span > MAX_RING) {
      meta[2 * slot] = ((firstLiveTick + MAX_RING - 1) << TICK_SHIFT) / 1000;
      span = MAX_RING;
    }
    int len = Integer.highestOneBit((int) span - 1) * 2;
    if (len <= byTick.length) {
      return;
    }
    byTick = new int[len];
    for (int i = 0; i < values.length; i++) {
      if (i != slot && counted(i)) {
        byTick[ring(tick(meta[2 * i]))]++;
      }
    }
  }

  /** Entries not expired, exact to the timer tick. */
  public long live() {
    return live;
  }

  /** Entries given up for a new key in a full set. */
  public long evictions() {
    return evictions;
  }

  /** Stops counting the entries of every tick before the clock's. */
  void expire() {
    if (clock.micros() == Long.MIN_VALUE) {
      return;
    }
    long now = tick(now());
    if (firstLiveTick == Long.MIN_VALUE) {
      firstLiveTick = now;
      return;
    }
    if (now <= firstLiveTick) {
      return;
    }
    if (now - firstLiveTick >= byTick.length) {
      java.util.Arrays.fill(byTick, 0); // every deadline counted was within the ring: all past
      live = 0;
    } else {
      for (long t = firstLiveTick; t < now; t++) {
        live -= byTick[ring(t)];
        byTick[ring(t)] = 0;
      }
    }
    firstLiveTick = now;
  }

  /** Writes the live entries as an array of {k, d, a, v}. */
  void snapshot(JsonGenerator g, ObjectMapper mapper) throws IOException {
    for (int i = 0; i < values.length; i++) {
      if (alive(i)) {
        g.writeStartObject();
        g.writeNumberField("k", keys[i]);
        g.writeNumberField("d", meta[2 * i]);
        g.writeNumberField("a", meta[2 * i + 1]);
        if (values[i] != null) {
          g.writeFieldName("v");
          mapper.writeValue(g, values[i]);
        }
        g.writeEndObject();
      }
    }
  }

  /** Puts a snapshot's entries back. */
  @SuppressWarnings("unchecked")
  void restore(JsonNode arr, ObjectMapper mapper, JavaType valueType) throws IOException {
    for (JsonNode o : arr) {
      if (!o.path("k").canConvertToLong() || !o.path("d").canConvertToLong()) {
        throw new IllegalArgumentException("an entry without k or d (a cache's, from an earlier bottrace?)");
      }
      V v = o.hasNonNull("v") ? (V) mapper.readerFor(valueType).readValue(o.get("v")) : null;
      put(o.get("k").asLong(), o.get("d").asLong(), o.path("a").asLong(), v);
    }
  }
}
