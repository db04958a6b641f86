package org.bottrace.state;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bottrace.event.Addresses;
import org.bottrace.event.ConnEvent;
import org.bottrace.event.DnsEvent;
import org.bottrace.event.EveDns;
import org.bottrace.event.EveFlow;
import org.bottrace.event.Event;
import org.bottrace.event.FlowKey;

/**
 * Joins what Zeek and Suricata say about one connection: the Zeek uids and Suricata flow ids seen for
 * the same endpoints (the pair Community ID hashes, kept unhashed). Only application-layer records
 * and alerts are indexed; conn and flow summaries and DNS, which make up most of a sensor's output
 * (and a fresh port pair per query), are not, so the index costs nothing on the bulk of the input. Bounded and expiring on log time, like every
 * cache: a notice about a connection lists both sensors' ids, so an analyst can pivot into either.
 */
public final class FlowIndex {
  /** At most this many ids are kept per connection. */
  static final int MAX_IDS = 8;

  /** Endpoints to ids in a cache ({@code state.compact: false}), else null. */
  private final Cache<Endpoints, List<String>> byEndpoints;
  /** The same in a compact table, by a hash of the endpoints (the default), else null. */
  private final CompactTable<ArrayList<String>> byHash;
  private final long idleMicros;

  /** A connection's endpoints, lower one first, so both directions give the same key. */
  record Endpoints(String a, int ap, String b, int bp, String proto) {
    static Endpoints of(FlowKey f) {
      int c = f.origH().compareTo(f.respH());
      if (c < 0 || (c == 0 && f.origP() <= f.respP())) {
        return new Endpoints(f.origH(), f.origP(), f.respH(), f.respP(), f.proto());
      }
      return new Endpoints(f.respH(), f.respP(), f.origH(), f.origP(), f.proto());
    }
  }

  /**
   * @param store where the cache lives
   * @param maxEntries connections kept (0: the store's default)
   * @param idle how long (log time) a connection is kept after it was last seen
   * @param compact in a compact table keyed by a hash of the endpoints, else in a cache keyed by them
   */
  @SuppressWarnings("unchecked")
  public FlowIndex(StateStore store, long maxEntries, Duration idle, boolean compact) {
    this.idleMicros = idle.toNanos() / 1000;
    this.byHash = compact ? store.newTable("flows.by_endpoints", maxEntries, idle,
        (Class<ArrayList<String>>) (Class<?>) ArrayList.class) : null;
    this.byEndpoints = compact ? null : store.newCache("flows.by_endpoints", maxEntries, idle, null,
        StateStore.Codec.of(new com.fasterxml.jackson.core.type.TypeReference<Endpoints>() {},
            new com.fasterxml.jackson.core.type.TypeReference<ArrayList<String>>() {}));
  }

  /** A 64-bit key for a connection's endpoints, the same in both directions. */
  static long hash(FlowKey f) {
    long a = FlowKey.mix(Addresses.key(f.origH(), f.origP()));
    long b = FlowKey.mix(Addresses.key(f.respH(), f.respP()));
    return FlowKey.mix(Math.min(a, b) * 0x9E3779B97F4A7C15L + Math.max(a, b)) ^ Addresses.key(f.proto());
  }

  /** The ids kept for a connection, kept alive by the asking; null when none. */
  private List<String> find(FlowKey f) {
    if (byHash == null) {
      return byEndpoints.getIfPresent(Endpoints.of(f));
    }
    int slot = byHash.read(hash(f), idleMicros);
    return slot < 0 ? null : byHash.value(slot);
  }

  /** Records the id an application-layer record or alert carries for its connection. */
  public void observe(Event e) {
    if (e instanceof ConnEvent || e instanceof EveFlow || e instanceof DnsEvent || e instanceof EveDns) {
      return;
    }
    FlowKey f = e.flow();
    String ref = e.ref();
    if (f == null || ref == null) {
      return;
    }
    List<String> ids = find(f);
    if (ids == null) {
      ArrayList<String> made = new ArrayList<>(2);
      if (byHash != null) {
        byHash.put(hash(f), byHash.now() + idleMicros, 0, made);
      } else {
        byEndpoints.put(Endpoints.of(f), made);
      }
      ids = made;
    }
    if (ids.size() < MAX_IDS && !ids.contains(ref)) {
      ids.add(ref);
    }
  }

  /** Every uid and flow id seen for the connection, in the order first seen; empty when none. */
  public List<String> ids(FlowKey flow) {
    List<String> ids = flow == null ? null : find(flow);
    return ids == null ? List.of() : List.copyOf(ids);
  }
}
