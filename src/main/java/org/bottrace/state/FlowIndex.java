package org.bottrace.state;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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

  private final Cache<Endpoints, List<String>> byEndpoints;

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
   */
  public FlowIndex(StateStore store, long maxEntries, Duration idle) {
    this.byEndpoints = store.newCache("flows.by_endpoints", maxEntries, idle, null,
        StateStore.Codec.of(new com.fasterxml.jackson.core.type.TypeReference<Endpoints>() {},
            new com.fasterxml.jackson.core.type.TypeReference<ArrayList<String>>() {}));
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
    Endpoints k = Endpoints.of(f);
    List<String> ids = byEndpoints.getIfPresent(k);
    if (ids == null) {
      ids = new ArrayList<>(2);
      byEndpoints.put(k, ids);
    }
    if (ids.size() < MAX_IDS && !ids.contains(ref)) {
      ids.add(ref);
    }
  }

  /** Every uid and flow id seen for the connection, in the order first seen; empty when none. */
  public List<String> ids(FlowKey flow) {
    List<String> ids = flow == null ? null : byEndpoints.getIfPresent(Endpoints.of(flow));
    return ids == null ? List.of() : List.copyOf(ids);
  }
}
