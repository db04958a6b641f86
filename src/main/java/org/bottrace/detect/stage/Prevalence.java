package org.bottrace.detect.stage;

import java.time.Duration;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.detect.DetectorContext;

/**
 * How much of the site an external service serves: the internal hosts that called each server and port,
 * and the internal hosts seen calling out at all, over a window. A service most of the site calls
 * (updates, telemetry, antivirus, a CDN everyone polls) is the site's infrastructure, not one bot's or one
 * botnet's. Kept in compact tables ({@link SitePrevalence}) or, with {@code state.compact: false}, in
 * Caffeine caches ({@link CachedPrevalence}): the same answers.
 */
abstract class Prevalence {
  private final double maxShare;
  private final int minHosts;

  /**
   * A service more than {@code max_prevalence} (half) of the hosts call is the site's, once {@code
   * min_hosts_for_prevalence} (10) hosts were seen: keys of the detector's section {@code c}.
   */
  Prevalence(ConfigNode c) throws ConfigException {
    this.maxShare = c.number("max_prevalence", 0.5, 0, 1);
    this.minHosts = (int) c.integer("min_hosts_for_prevalence", 10, 1, 1_000_000);
  }

  /** The state named {@code name}.callers and {@code name}.hosts, as {@code state.compact} says. */
  static Prevalence of(DetectorContext ctx, String name, long maxEntries, Duration window, ConfigNode c)
      throws ConfigException {
    return ctx.compactState() ? new SitePrevalence(ctx, name, maxEntries, window, c)
        : new CachedPrevalence(ctx, name, maxEntries, window, c);
  }

  /** An internal host called {@code server}:{@code port} (an address, or the name the host resolved). */
  abstract void call(String host, String server, int port);

  /** The number of internal hosts that called it; -1 when none did in the window. Asking keeps it alive. */
  abstract int count(String server, int port);

  /** The internal hosts seen calling out. */
  abstract long hosts();

  /** The internal hosts that called it (at least one: the caller asking). */
  final int callers(String server, int port) {
    return Math.max(1, count(server, port));
  }

  /** The share of the site's hosts that called it, 0 to 1. */
  final double share(String server, int port) {
    long seen = hosts();
    int who = count(server, port);
    return who < 0 || seen == 0 ? 0 : (double) who / seen;
  }

  /** Whether most of the site calls it (and the site is large enough to say). */
  final boolean infrastructure(String server, int port) {
    return hosts() >= minHosts && share(server, port) > maxShare;
  }
}
