package org.bottrace.state;

import com.github.benmanes.caffeine.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.bottrace.event.ConnEvent;
import org.bottrace.event.EveEvent;
import org.bottrace.event.Event;
import org.bottrace.event.FlowKey;

/**
 * Joins what Zeek and Suricata say about one connection: by community id (logged, or computed from
 * the 5-tuple), the Zeek uids and Suricata flow ids seen for it. Bounded and expiring on log time,
 * like every cache. Zeek and Suricata see the same connection under different ids; a notice about it
 * lists both so an analyst can pivot into either sensor's logs.
 */
public final class FlowIndex {
  /** At most this many ids are kept per connection. */
  static final int MAX_IDS = 8;

  private final Cache<String, List<String>> byCommunityId;

  /**
   * @param store where the cache lives
   * @param maxEntries connections kept (0: the store's default)
   * @param idle how long (log time) a connection is kept after it was last seen
   */
  public FlowIndex(StateStore store, long maxEntries, Duration idle) {
    this.byCommunityId = store.newCache("flows.by_community_id", maxEntries, idle, null);
  }

  /** Records the ids an event carries for its connection. */
  public void observe(Event e) {
    FlowKey f = e.flow();
    String ref = e.ref();
    if (f == null || ref == null) {
      return;
    }
    String cid = communityId(e);
    if (cid == null) {
      return;
    }
    List<String> ids = byCommunityId.getIfPresent(cid);
    if (ids == null) {
      ids = new ArrayList<>(2);
      byCommunityId.put(cid, ids);
    }
    if (ids.size() < MAX_IDS && !ids.contains(ref)) {
      ids.add(ref);
    }
  }

  /** Every uid and flow id seen for the connection, in the order first seen; empty when none. */
  public List<String> ids(FlowKey flow) {
    String cid = flow == null ? null : flow.communityId();
    List<String> ids = cid == null ? null : byCommunityId.getIfPresent(cid);
    return ids == null ? List.of() : List.copyOf(ids);
  }

  private static String communityId(Event e) {
    if (e instanceof ConnEvent) {
      return ((ConnEvent) e).communityId();
    }
    if (e instanceof EveEvent) {
      return ((EveEvent) e).communityId();
    }
    return e.flow().communityId();
  }
}
