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
 * How much of the site an external service serves: the internal hosts that called each server and port,
 * and the internal hosts seen calling out at all, over a window. A service most of the site calls
 * (updates, telemetry, antivirus, a CDN everyone polls) is the site's infrastructure, not one bot's or one
 * botnet's.
 */
final class SitePrevalence {
  private static final int MAX_CALLERS = 10_000;
  private final Cache<String, TreeSet<String>> callers;
  private final Cache<String, Boolean> hosts;
  private final double maxShare;
  private final int minHosts;

  /**
   * Caches {@code name}.callers and {@code name}.hosts; a service more than {@code max_prevalence} (half)
   * of the hosts call is the site's, once {@code min_hosts_for_prevalence} (10) hosts were seen: keys of
   * the detector's section {@code c}.
   */
  SitePrevalence(DetectorContext ctx, String name, long maxEntries, Duration window, ConfigNode c)
      throws ConfigException {
    this.callers = ctx.cache(name + ".callers", maxEntries, window, null,
        StateStore.Codec.of(new TypeReference<String>() {}, new TypeReference<TreeSet<String>>() {}));
    this.hosts = ctx.cache(name + ".hosts", maxEntries, window, null, StateStore.Codec.of(String.class, Boolean.class));
    this.maxShare = c.number("max_prevalence", 0.5, 0, 1);
    this.minHosts = (int) c.integer("min_hosts_for_prevalence", 10, 1, 1_000_000);
  }

  /** An internal host called {@code ip}:{@code port}. */
  void call(String host, String ip, int port) {
    if (hosts.getIfPresent(host) == null) { // a read refreshes the idle time as a write does, and costs less
      hosts.put(host, Boolean.TRUE);
    }
    TreeSet<String> who = callers.get(ip + "|" + port, k -> new TreeSet<>());
    if (who.size() < MAX_CALLERS) {
      who.add(host);
    }
  }

  /** The internal hosts that called it (at least one: the caller asking). */
  int callers(String ip, int port) {
    TreeSet<String> who = callers.getIfPresent(ip + "|" + port);
    return who == null ? 1 : who.size();
  }

  /** The internal hosts seen calling out. */
  long hosts() {
    return hosts.estimatedSize();
  }

  /** The share of the site's hosts that called it, 0 to 1. */
  double share(String ip, int port) {
    long seen = hosts();
    TreeSet<String> who = callers.getIfPresent(ip + "|" + port);
    return who == null || seen == 0 ? 0 : (double) who.size() / seen;
  }

  /** Whether most of the site calls it (and the site is large enough to say). */
  boolean infrastructure(String ip, int port) {
    return hosts() >= minHosts && share(ip, port) > maxShare;
  }
}
