package org.bottrace.detect.stage;

import com.fasterxml.jackson.core.type.TypeReference;
import com.github.benmanes.caffeine.cache.Cache;
import java.time.Duration;
import java.util.TreeSet;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.detect.DetectorContext;
import org.bottrace.state.StateStore;

/**
 * {@link Prevalence} in Caffeine caches with string keys ({@code state.compact: false}): a few hundred
 * bytes a host and a server, the check of {@link SitePrevalence}.
 */
final class CachedPrevalence extends Prevalence {
  private static final int MAX_CALLERS = 10_000;
  private final Cache<String, TreeSet<String>> callers;
  private final Cache<String, Boolean> hosts;

  CachedPrevalence(DetectorContext ctx, String name, long maxEntries, Duration window, ConfigNode c)
      throws ConfigException {
    super(c);
    this.callers = ctx.cache(name + ".callers", maxEntries, window, null,
        StateStore.Codec.of(new TypeReference<String>() {}, new TypeReference<TreeSet<String>>() {}));
    this.hosts = ctx.cache(name + ".hosts", c.integer("max_site_hosts", 1 << 20, 100,
        org.bottrace.state.CompactTable.MAX_ENTRIES), window, null, StateStore.Codec.of(String.class, Boolean.class));
  }

  @Override
  void call(String host, String server, int port) {
    if (hosts.getIfPresent(host) == null) { // a read refreshes the idle time as a write does, and costs less
      hosts.put(host, Boolean.TRUE);
    }
    TreeSet<String> who = callers.get(server + "|" + port, k -> new TreeSet<>());
    if (who.size() < MAX_CALLERS) {
      who.add(host);
    }
  }

  @Override
  int count(String server, int port) {
    TreeSet<String> who = callers.getIfPresent(server + "|" + port);
    return who == null ? -1 : who.size();
  }

  @Override
  long hosts() {
    return hosts.estimatedSize();
  }
}
