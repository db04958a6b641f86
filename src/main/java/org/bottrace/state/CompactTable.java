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
 * Caffeine entry costs some hundred bytes and a few map operations, each a miss in the CPU's cache when
 * the keys are many; an entry here is 24 bytes side by side in one array (key, deadline, long; 4 more
 * for the object, in an array made when the first object is put), in two to four times as many slots as
 * the bound (a power of two): 48 bytes an entry at a bound of 2^20, and a look-up reads one or two cache
 * lines.
 *
 * <p>Open addressing with linear probing: a key lives in the first slot from its hash's that it found
 * free or dead when it came, and a look-up walks from there to its key or a free slot. An entry whose
 * deadline passed keeps its slot, so that the walks past it still reach what lies beyond, until a new
 * key takes the first dead slot of its walk; a removed one frees its slot, the entries after it moving
 * up. When the slots in use (alive or
 * dead) pass 70%, the dead entries go: the live ones are moved into twice the slots while there is room
 * below the bound, else the dead ones are deleted in place. At the bound a new key takes the slot of the entry that expires first
 * among those its walk passes (or, where it passes none, those in the four slots either side of where
 * it stops, in the cache lines the walk read, else the next few): at most {@code maxEntries}
 * entries are alive. An entry is gone for reads once the log clock reaches its deadline (as a Caffeine
 * entry is), and is counted in {@link #live} until the clock leaves the timer tick (2^30 ns) of its
 * deadline: Caffeine's caches drop an entry at the first turn of a tick after its deadline, so a count
 * here can be higher than a cache's by the entries whose deadline passed within the clock's tick.
 * Checkpointed with the caches: {@link StateStore#newTable}.
 *
 * @param <V> the type of the object an entry may hold (null for none)
 */
public final class CompactTable<V> {
  /** The largest bound (its slots' array must fit Java's arrays). */
  public static final long MAX_ENTRIES = 1L << 27;
  private static final int TICK_SHIFT = 30;
  private static final int MIN_SLOTS = 64;
  /** Longs per slot: key (0: free), deadline, the entry's long. */
  private static final int W = 3;
  /** Live entries considered for the one that gives way at the bound. */
  private static final int VICTIMS = 8;
  /** Slots either side of a free one looked at first for the entry that gives way. */
  private static final int NEAR = 4;

  private final LogClock clock;
  /** Per slot its key, deadline and long, side by side: a walk reads one or two cache lines. */
  private long[] slots;
  /** Per slot its object; null until an object is put. */
  private Object[] values;
  private int mask;
  /** Slots not free: alive or dead. */
  private int used;
  /** Slots at the size bound: the table starts small and doubles up to them. */
  private final int maxSlots;
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
    // at least twice the slots of the bound, a power of two: every growth is a doubling
    this.maxSlots = Math.max(MIN_SLOTS, Integer.highestOneBit((int) (2 * maxEntries - 1)) * 2);
    allocate(Math.min(maxSlots, MIN_SLOTS), false);
    long ticks = tick(maxLifetimeMicros) + 3;
    this.byTick = new int[Integer.highestOneBit((int) Math.min(1 << 24, ticks)) * 2];
  }

  private void allocate(int n, boolean withValues) {
    slots = new long[W * n];
    values = withValues ? new Object[n] : null;
    mask = n - 1;
    used = 0;
  }

  /** The slots, alive, dead or free. */
  int capacity() {
    return mask + 1;
  }

  /**
   * The slots in use passed 70%: the dead entries go. While the live ones fill more than a third and the
   * bound allows, into twice the slots (the live entries moved over, the live count taken again); else
   * in place, the dead ones deleted (no new arrays: a table's arrays are large objects to the GC).
   */
  private void clean() {
    int n = capacity();
    long now = now();
    int alive = 0;
    for (int i = 0; i < n; i++) {
      if (slots[W * i] != 0 && slots[W * i + 1] > now) {
        alive++;
      }
    }
    if (alive * 3L <= n || n >= maxSlots) {
      for (int i = 0; i < n; i++) {
        while (slots[W * i] != 0 && slots[W * i + 1] <= now) {
          remove(i); // an entry moved up into i is looked at in turn; one moved from before i stays alive
        }
      }
      return;
    }
    long[] old = slots;
    Object[] v = values;
    allocate(2 * n, v != null);
    java.util.Arrays.fill(byTick, 0);
    live = 0;
    for (int i = 0; i < n; i++) {
      long k = old[W * i];
      if (k != 0 && old[W * i + 1] > now) {
        int j = home(k);
        while (slots[W * j] != 0) {
          j = (j + 1) & mask;
        }
        slots[W * j] = k;
        slots[W * j + 1] = old[W * i + 1];
        slots[W * j + 2] = old[W * i + 2];
        if (v != null) {
          values[j] = v[i];
        }
        used++;
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

  /** The slot a key's walk starts at. */
  private int home(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 29) ^ (h >>> 47)) & mask;
  }

  /** The slot holding {@code k} (alive or not), or -1. */
  private int slotOf(long k) {
    for (int i = home(k); ; i = (i + 1) & mask) {
      long at = slots[W * i];
      if (at == k) {
        return i;
      }
      if (at == 0) {
        return -1;
      }
    }
  }

  /**
   * Reads the first slot of {@code key}'s walk and returns its key word: a caller that will look up keys
   * in several large tables touches them all first, so that the CPU waits for their memory at once.
   */
  public long touch(long key) {
    return slots[W * home(nonzero(key))];
  }

  /** The clock as the caches see it, in microseconds (0 before the first record). */
  public long now() {
    return clock.read() / 1000;
  }

  private boolean alive(int i) {
    return slots[W * i] != 0 && slots[W * i + 1] > now();
  }

  private boolean counted(int i) {
    return slots[W * i] != 0 && tick(slots[W * i + 1]) >= firstLiveTick;
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
      slots[W * i + 1] = now() + idleMicros;
      count(i);
    }
    return i;
  }

  /** The deadline (microseconds) of the entry in {@code slot}. */
  public long deadline(int slot) {
    return slots[W * slot + 1];
  }

  /** The long of the entry in {@code slot}. */
  public long aux(int slot) {
    return slots[W * slot + 2];
  }

  /** The object of the entry in {@code slot}, or null. */
  @SuppressWarnings("unchecked")
  public V value(int slot) {
    return values == null ? null : (V) values[slot];
  }

  /** Changes the entry in {@code slot} (found by {@link #find}; a slot holds until the next put). */
  public void update(int slot, long deadlineMicros, long auxValue, V value) {
    uncount(slot);
    set(slot, deadlineMicros, auxValue, value);
    count(slot);
  }

  private void set(int slot, long deadlineMicros, long auxValue, V value) {
    slots[W * slot + 1] = deadlineMicros;
    slots[W * slot + 2] = auxValue;
    if (value != null && values == null) {
      values = new Object[capacity()];
    }
    if (values != null) {
      values[slot] = value;
    }
  }

  /**
   * Puts an entry for {@code key}, replacing its entry if it has one, else taking the first dead or free
   * slot of its walk. At the bound, where the entry would add to the live ones, another gives way: the
   * one that expires first among the live entries the walk passed, or else among the next few.
   *
   * @return the slot (it holds until the next put or remove)
   */
  public int put(long key, long deadlineMicros, long auxValue, V value) {
    if (used * 10L >= capacity() * 7L) {
      clean();
    }
    long k = nonzero(key);
    for (boolean gaveWay = false; ; gaveWay = true) {
      long now = now();
      boolean full = !gaveWay && live >= maxEntries; // below maxSlots too: a table grows by its slots in use, not past its bound
      int dead = -1;
      int oldest = -1;
      int passed = 0;
      int i = home(k);
      for (; ; i = (i + 1) & mask) {
        long at = slots[W * i];
        if (at == k || at == 0) {
          break;
        }
        long d = slots[W * i + 1];
        if (d <= now) {
          if (dead < 0) {
            dead = i;
          }
        } else if (full && passed++ < VICTIMS && (oldest < 0 || d < slots[W * oldest + 1])) {
          oldest = i;
        }
      }
      int own = slots[W * i] == k ? i : -1;
      int slot = own >= 0 ? own : dead >= 0 ? dead : i;
      if (full && !alive(slot)) { // the entry would add to the live ones (a dead slot too, counted or not): another gives way
        if (oldest < 0) {
          giveWay(i);
          continue; // the walk again: a removal moves entries after it
        }
        evictions++;
        slot = oldest; // before its own slot in the walk: a look-up finds it there first
        uncount(slot);
        if (own >= 0) {
          delete(own); // moves only entries after it
        }
      } else if (slot == i && own < 0) {
        used++;
      } else {
        uncount(slot);
      }
      slots[W * slot] = k;
      set(slot, deadlineMicros, auxValue, value);
      count(slot);
      return slot;
    }
  }

  /**
   * At the bound, the walk of a new key ending at the free slot {@code from} having passed no live entry:
   * the first to expire of the live entries in the few slots either side (the cache lines the walk read,
   * or their neighbours), else of the next few live entries after it, gives way.
   */
  private void giveWay(int from) {
    long now = now();
    int oldest = -1;
    for (int n = 1; n <= NEAR; n++) {
      for (int i = (from - n) & mask, side = 0; side < 2; side++, i = (from + n) & mask) {
        if (slots[W * i] != 0 && slots[W * i + 1] > now && (oldest < 0 || slots[W * i + 1] < slots[W * oldest + 1])) {
          oldest = i;
        }
      }
    }
    if (oldest >= 0) {
      evictions++;
      remove(oldest);
      return;
    }
    int seen = 0;
    for (int n = 1, i = (from + 1) & mask; n < capacity() && seen < VICTIMS; n++, i = (i + 1) & mask) {
      if (slots[W * i] != 0 && slots[W * i + 1] > now) {
        seen++;
        if (oldest < 0 || slots[W * i + 1] < slots[W * oldest + 1]) {
          oldest = i;
        }
      }
    }
    if (oldest >= 0) {
      evictions++;
      remove(oldest);
    }
  }

  /** Removes the entry in {@code slot}; the slots found before are no longer valid (entries move up). */
  public void remove(int slot) {
    uncount(slot);
    delete(slot);
  }

  /**
   * Frees a slot without leaving a dead one in the walks past it: each later entry of its run that may
   * live nearer its home moves up into the gap (backward-shift deletion).
   */
  private void delete(int gap) {
    for (int i = (gap + 1) & mask; ; i = (i + 1) & mask) {
      long k = slots[W * i];
      if (k == 0) {
        break;
      }
      int h = home(k);
      // the entry stays when its home lies cyclically in (gap, i]
      boolean stays = gap <= i ? gap < h && h <= i : gap < h || h <= i;
      if (!stays) {
        System.arraycopy(slots, W * i, slots, W * gap, W);
        if (values != null) {
          values[gap] = values[i];
        }
        gap = i;
      }
    }
    slots[W * gap] = 0;
    slots[W * gap + 1] = 0;
    slots[W * gap + 2] = 0;
    if (values != null) {
      values[gap] = null;
    }
    used--;
  }

  private static final int MAX_RING = 1 << 26;

  private int ring(long tick) {
    return (int) tick & (byTick.length - 1); // a power of two: floorMod without the division
  }

  private void count(int slot) {
    long t = tick(slots[W * slot + 1]);
    if (firstLiveTick == Long.MIN_VALUE) {
      // no expiry yet: from the clock's tick, or (the clock not set) well before this deadline
      firstLiveTick = clock.micros() != Long.MIN_VALUE ? tick(now()) : t - byTick.length / 2;
    }
    if (t < firstLiveTick) {
      return; // dead already at the grain of a tick
    }
    if (t - firstLiveTick >= byTick.length) {
      grow(slot, t);
      t = tick(slots[W * slot + 1]);
    }
    byTick[ring(t)]++;
    live++;
  }

  private void uncount(int slot) {
    if (counted(slot)) {
      byTick[ring(tick(slots[W * slot + 1]))]--;
      live--;
    }
  }

  /** A deadline beyond the ring's span: a longer ring (the entries counted again), up to years. */
  private void grow(int slot, long t) {
    long span = t - firstLiveTick + 1;
    if (span > MAX_RING) {
      slots[W * slot + 1] = ((firstLiveTick + MAX_RING - 1) << TICK_SHIFT) / 1000;
      span = MAX_RING;
    }
    int len = Integer.highestOneBit((int) span - 1) * 2;
    if (len <= byTick.length) {
      return;
    }
    byTick = new int[len];
    for (int i = 0; i < capacity(); i++) {
      if (i != slot && counted(i)) {
        byTick[ring(tick(slots[W * i + 1]))]++;
      }
    }
  }

  /** Entries not expired, exact to the timer tick. */
  public long live() {
    return live;
  }

  /** Entries given up for a new key at the size bound. */
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
    for (int i = 0; i < capacity(); i++) {
      if (alive(i)) {
        g.writeStartObject();
        g.writeNumberField("k", slots[W * i]);
        g.writeNumberField("d", slots[W * i + 1]);
        g.writeNumberField("a", slots[W * i + 2]);
        if (values != null && values[i] != null) {
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
