package org.bottrace.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CompactTableTest {
  private static final long T = 1_773_446_400_000_000L;
  private static final long TICK = (1L << 30) / 1000 + 1; // a timer tick in microseconds, rounded up

  /** A small value type, as detectors keep (concrete fields: checkpointed). */
  static final class Box {
    String text;

    Box() {}

    Box(String text) {
      this.text = text;
    }
  }

  @Test
  void anEntryIsGoneAtItsDeadline_andUncountedWhenTheClockLeavesItsTick() {
    StateStore store = new StateStore(1000);
    CompactTable<Box> t = store.newTable("t", 0, Duration.ofMinutes(10), Box.class);
    store.advance(T);
    t.put(1, T + 60_000_000, 7, new Box("a"));
    t.put(2, T + 120_000_000, 8, null);
    assertEquals(2, t.live());
    int a = t.find(1);
    assertEquals(7, t.aux(a));
    assertEquals("a", t.value(a).text);
    store.advance(T + 60_000_000);
    assertEquals(-1, t.find(1), "gone for reads at its deadline");
    assertTrue(t.find(2) >= 0);
    store.advance(T + 60_000_000 + 2 * TICK);
    assertEquals(1, t.live(), "no longer counted once its tick is past");
    t.update(t.find(2), T + 600_000_000, 9, null);
    store.advance(T + 300_000_000);
    assertEquals(1, t.live(), "its deadline moved");
    assertEquals(9, t.aux(t.find(2)));
    store.advance(T + 3_600_000_000L);
    assertEquals(0, t.live());
    assertEquals(-1, t.find(2));
  }

  @Test
  void theTableGrowsToItsBound_thenTheEntryThatExpiresFirstGivesWay() {
    StateStore store = new StateStore(1000);
    CompactTable<Void> t = store.newTable("t", 4096, Duration.ofHours(1), Void.class);
    store.advance(T);
    for (long k = 1; k <= 2000; k++) {
      t.put(k * 0x1234567L, T + 1_000_000 + k, 0, null);
    }
    assertEquals(0, t.evictions(), "below its bound it grows instead of evicting");
    assertEquals(2000, t.live());
    for (long k = 1; k <= 2000; k++) {
      assertTrue(t.find(k * 0x1234567L) >= 0, "kept through growth: " + k);
    }
    for (long k = 2001; k <= 12000; k++) {
      t.put(k * 0x1234567L, T + 10_000_000 + k, 0, null);
    }
    assertTrue(t.evictions() >= 12000 - 4096, "at its bound new keys take the place of the oldest: " + t.evictions());
    assertTrue(t.live() <= 4096, "bounded: " + t.live());
    assertTrue(t.find(12000 * 0x1234567L) >= 0, "the newest is in");
  }

  @Test
  void aCheckpointKeepsTheLiveEntries() throws Exception {
    ObjectMapper m = org.bottrace.pipeline.Checkpoints.MAPPER;
    StateStore store = new StateStore(1000);
    CompactTable<Box> t = store.newTable("t", 0, Duration.ofHours(1), Box.class);
    store.advance(T);
    t.put(5, T + 3_000_000_000L, 42, new Box("kept"));
    t.put(6, T + 1_000, 43, null);
    store.advance(T + 2_000);
    String w = snapshot(store, m);
    StateStore again = new StateStore(1000);
    CompactTable<Box> u = again.newTable("t", 0, Duration.ofHours(1), Box.class);
    assertEquals(java.util.List.of(), again.restore(m.readTree(w), m));
    assertEquals(1, u.live(), w);
    int at = u.find(5);
    assertEquals(42, u.aux(at));
    assertEquals("kept", u.value(at).text);
    assertEquals(-1, u.find(6), "an expired entry is not written");
  }

  /**
   * Small tables of every bound from 1 to 40 under random puts, removes and clock steps: never more live
   * entries than the bound, also while the table is smaller than its largest size, and when the slot a
   * key takes held an entry that died within the clock's tick (still counted).
   */
  @Test
  void atAnyBound_neverMoreLiveEntriesThanTheBound() {
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    long evicted = 0;
    int reachedTheBound = 0;
    for (int round = 0; round < 200; round++) {
      int bound = 1 + round % 40;
      StateStore store = new StateStore(1000);
      CompactTable<Void> t = store.newTable("t", bound, Duration.ofMinutes(10), Void.class);
      long now = T;
      store.advance(now);
      boolean reached = false;
      for (int i = 0; i < 2000; i++) {
        int op = r.nextInt(10);
        if (op < 6) {
          t.put(1 + r.nextInt(200), now + 1_000_000L * (1 + r.nextInt(30)), i, null);
        } else if (op < 8) {
          int at = t.find(1 + r.nextInt(200));
          if (at >= 0) {
            t.remove(at);
          }
        } else {
          now += 1_000_000L * r.nextInt(5); // often onto a deadline: dead, still counted in its tick
          store.advance(now);
        }
        int alive = 0;
        for (long k = 1; k <= 200; k++) {
          alive += t.find(k) >= 0 ? 1 : 0;
        }
        assertTrue(alive <= bound, "bound " + bound + ", step " + i + ": " + alive + " alive");
        reached |= alive == bound;
      }
      evicted += t.evictions();
      reachedTheBound += reached ? 1 : 0;
    }
    assertTrue(evicted > 10_000, "entries gave way: " + evicted);
    assertTrue(reachedTheBound > 150, "most tables were full at some step: " + reachedTheBound);
  }

  @Test
  void belowItsBound_noEntryGivesWay() {
    StateStore store = new StateStore(1000);
    CompactTable<Void> t = store.newTable("t", 100_000, Duration.ofHours(1), Void.class);
    store.advance(T);
    java.util.SplittableRandom r = new java.util.SplittableRandom(3);
    long[] ks = new long[99_000];
    for (int i = 0; i < ks.length; i++) {
      ks[i] = r.nextLong();
      t.put(ks[i], T + 60_000_000, i, null);
    }
    assertEquals(0, t.evictions());
    assertEquals(99_000, t.live());
    for (int i = 0; i < ks.length; i++) {
      assertEquals(i, t.aux(t.find(ks[i])));
    }
  }

  /**
   * Keys that come and go for ever at the bound: the dead slots are taken again or rebuilt away, the live
   * ones never pass the bound, the slots stay as many as the bound's, and the newest keys are found.
   */
  @Test
  void churnAtTheBound_staysWithinItsSlots() {
    StateStore store = new StateStore(1000);
    CompactTable<Box> t = store.newTable("t", 1000, Duration.ofMinutes(10), Box.class);
    java.util.SplittableRandom r = new java.util.SplittableRandom(5);
    long now = T;
    long[] recent = new long[100];
    for (int i = 0; i < 200_000; i++) {
      if (i % 100 == 0) {
        now += 1_000_000; // a second of log time every hundred keys
        store.advance(now);
      }
      long k = r.nextLong();
      recent[i % 100] = k;
      // most live a few seconds, some a minute: both the bound and the expiry free slots
      t.put(k, now + (i % 7 == 0 ? 60_000_000L : 3_000_000L + r.nextInt(5_000_000)), i, i % 3 == 0 ? new Box("b") : null);
      assertTrue(t.live() <= 1000, "bounded at " + i + ": " + t.live());
    }
    assertTrue(t.evictions() > 0, "the bound was met");
    assertEquals(2048, t.capacity(), "twice the bound's slots, a power of two");
    int found = 0;
    for (int j = 0; j < 100; j++) {
      int at = t.find(recent[j]);
      if (at >= 0) { // a short-lived one may have given way to a later key: the first to expire does
        found++;
        assertEquals(199_900 + j, t.aux(at));
        assertEquals((199_900 + j) % 3 == 0 ? "b" : null, t.value(at) == null ? null : t.value(at).text);
      }
    }
    assertTrue(found >= 80, "most keys put in the last second are there: " + found);
    assertTrue(t.find(recent[99]) >= 0, "the last one is");
  }

  /**
   * Random puts, removes and time steps against a plain map: below the bound the table answers as the
   * map does (removals move entries up, expiry hides them); keys drawn from a small range collide often.
   */
  @Test
  void putsRemovesAndExpiry_answerAsAMapDoes() {
    StateStore store = new StateStore(1000);
    CompactTable<Box> t = store.newTable("t", 5_000, Duration.ofMinutes(10), Box.class);
    java.util.Map<Long, long[]> model = new java.util.HashMap<>(); // key -> {deadline, aux}
    java.util.SplittableRandom r = new java.util.SplittableRandom(11);
    long now = T;
    store.advance(now);
    int removed = 0;
    for (int op = 0; op < 300_000; op++) {
      long k = r.nextInt(3_000) * 0x10001L; // a few thousand keys: many meet in the same runs
      int what = r.nextInt(10);
      if (what < 6) {
        long d = now + 1 + r.nextInt(60_000_000);
        t.put(k, d, op, op % 2 == 0 ? new Box(Long.toString(op)) : null);
        model.put(k, new long[] {d, op});
      } else if (what < 8) {
        int at = t.find(k);
        long[] m = model.get(k);
        boolean alive = m != null && m[0] > now;
        assertEquals(alive, at >= 0, "key " + k + " at op " + op);
        if (at >= 0) {
          assertEquals(m[1], t.aux(at));
          assertEquals(m[1] % 2 == 0 ? Long.toString(m[1]) : null, t.value(at) == null ? null : t.value(at).text);
          if (what == 7) {
            t.remove(at);
            model.remove(k);
            removed++;
          }
        }
      } else if (what == 8 && op % 50 == 0) {
        now += r.nextInt(2_000_000);
        store.advance(now);
      }
    }
    assertTrue(removed > 10_000, "removals were exercised: " + removed);
    long end = now;
    long alive = model.values().stream().filter(m -> m[0] > end).count();
    assertTrue(alive > 1_000, "entries alive at the end: " + alive);
    for (var e : model.entrySet()) {
      int at = t.find(e.getKey());
      assertEquals(e.getValue()[0] > now, at >= 0, "key " + e.getKey() + " at the end");
    }
    assertEquals(0, t.evictions(), "below the bound none gave way");
  }

  @Test
  void aRestoredTableCountsWhatTheUninterruptedOneCounts() throws Exception {
    ObjectMapper m = org.bottrace.pipeline.Checkpoints.MAPPER;
    StateStore store = new StateStore(1000);
    CompactTable<Void> t = store.newTable("t", 0, Duration.ofHours(24), Void.class);
    store.advance(T);
    java.util.SplittableRandom r = new java.util.SplittableRandom(9);
    for (int i = 0; i < 500; i++) { // deadlines up to a day ahead, the first of them far
      t.put(r.nextLong(), T + 86_000_000_000L - i * 170_000_000L, 0, null);
    }
    String w = snapshot(store, m);
    StateStore again = new StateStore(1000);
    CompactTable<Void> u = again.newTable("t", 0, Duration.ofHours(24), Void.class);
    again.restore(m.readTree(w), m);
    assertEquals(500, u.live());
    for (long later : new long[] {3_600_000_000L, 43_200_000_000L}) {
      store.advance(T + later);
      again.advance(T + later);
      assertEquals(t.live(), u.live(), "after " + later / 3_600_000_000L + " h");
    }
    assertTrue(t.live() > 0 && t.live() < 500, "some expired: " + t.live());
  }

  /** A checkpoint of an earlier bottrace, whose cache of that name held string keys: said, and empty. */
  @Test
  void anEarlierCachesEntries_areSaidAndLeftOut() throws Exception {
    ObjectMapper m = org.bottrace.pipeline.Checkpoints.MAPPER;
    StateStore store = new StateStore(1000);
    CompactTable<Void> t = store.newTable("beacon.hosts", 0, Duration.ofHours(1), Void.class);
    java.util.List<String> w = store.restore(m.readTree("{\"log_clock\": " + T + ", \"caches\": {\"beacon.hosts\":"
        + " [{\"k\": \"10.0.0.1\", \"v\": true, \"ttl_ns\": 5000000000}]}}"), m);
    assertEquals(java.util.List.of("cache beacon.hosts could not be restored (an entry without k or d (a cache's, from an"
        + " earlier bottrace?)); it starts with what was read"), w);
    assertEquals(0, t.live());
  }

  /** The store's checkpoint part, as a checkpoint writes it. */
  private static String snapshot(StateStore store, ObjectMapper m) throws java.io.IOException {
    StringWriter w = new StringWriter();
    try (var g = m.getFactory().createGenerator(w)) {
      g.writeStartObject();
      store.snapshot(g, m);
      g.writeEndObject();
    }
    return w.toString();
  }
}
