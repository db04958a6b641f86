package org.bottrace.detect.stage;

import java.time.Duration;
import java.util.Arrays;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.detect.DetectorContext;
import org.bottrace.event.Addresses;
import org.bottrace.state.CompactTable;

/**
 * How much of the site an external service serves: the internal hosts that called each server and port,
 * and the internal hosts seen calling out at all, over a window. A service most of the site calls
 * (updates, telemetry, antivirus, a CDN everyone polls) is the site's infrastructure, not one bot's or one
 * botnet's.
 *
 * <p>Every outbound connection passes here, most to a server no other host calls, so the state is compact
 * ({@link CompactTable}): a host is 28 bytes (56 at the bound); a server with one caller too (the caller inline), a server
 * with more holds their keys in an array.
 */
final class SitePrevalence {
  private static final int MAX_CALLERS = 10_000;
  /** Server and port to its first caller (the entry's long) and, once there are more, all of them. */
  private final CompactTable<Callers> callers;
  /** The internal hosts seen calling out, alive while seen within the window. */
  private final CompactTable<Void> hosts;
  private final long window;
  private final double maxShare;
  private final int minHosts;

  /** The callers of a server that more than one host calls: their keys, sorted (concrete fields: checkpointed). */
  static final class Callers {
    long[] keys = new long[4];
    int n;

    Callers() {}

    /** Adds a key; whether it was new. */
    boolean add(long k) {
      int at = Arrays.binarySearch(keys, 0, n, k);
      if (at >= 0) {
        return false;
      }
      at = -at - 1;
      if (n == keys.length) {
        keys = Arrays.copyOf(keys, n * 2);
      }
      System.arraycopy(keys, at, keys, at + 1, n - at);
      keys[at] = k;
      n++;
      return true;
    }
  }

  /**
   * Tables {@code name}.callers and {@code name}.hosts; a service more than {@code max_prevalence} (half)
   * of the hosts call is the site's, once {@code min_hosts_for_prevalence} (10) hosts were seen: keys of
   * the detector's section {@code c}. {@code max_site_hosts} bounds the hosts counted (a million, 56 MiB
   * when full).
   */
  SitePrevalence(DetectorContext ctx, String name, long maxEntries, Duration window, ConfigNode c)
      throws ConfigException {
    this.window = window.toNanos() / 1000;
    this.callers = ctx.table(name + ".callers", maxEntries, window, Callers.class);
    this.hosts = ctx.table(name + ".hosts", c.integer("max_site_hosts", 1 << 20, 100, CompactTable.MAX_ENTRIES), window, Void.class);
    this.maxShare = c.number("max_prevalence", 0.5, 0, 1);
    this.minHosts = (int) c.integer("min_hosts_for_prevalence", 10, 1, 1_000_000);
  }

  private static long service(String server, int port) {
    return Addresses.key(server, port);
  }

  /** An internal host called {@code server}:{@code port} (an address, or the name the host resolved). */
  void call(String host, String server, int port) {
    long until = hosts.now() + window; // alive for a window after it was last seen (or asked about)
    long h = Addresses.key(host);
    int at = hosts.find(h);
    if (at < 0) {
      hosts.put(h, until, 0, null);
    } else {
      hosts.update(at, until, 0, null);
    }
    long s = service(server, port);
    int slot = callers.find(s);
    if (slot < 0) {
      callers.put(s, until, h, null);
      return;
    }
    long first = callers.aux(slot);
    Callers more = callers.value(slot);
    if (more == null && first != h) {
      more = new Callers();
      more.add(first);
    }
    if (more != null && more.n < MAX_CALLERS) {
      more.add(h);
    }
    callers.update(slot, until, first, more);
  }

  /** The number of internal hosts that called it; -1 when none did in the window. Asking keeps it alive. */
  private int count(String server, int port) {
    int slot = callers.find(service(server, port));
    if (slot < 0) {
      return -1;
    }
    Callers more = callers.value(slot);
    callers.update(slot, callers.now() + window, callers.aux(slot), more);
    return more == null ? 1 : more.n;
  }

  /** The internal hosts that called it (at least one: the caller asking). */
  int callers(String server, int port) {
    return Math.max(1, count(server, port));
  }

  /** The internal hosts seen calling out. */
  long hosts() {
    return hosts.live();
  }

  /** The share of the site's hosts that called it, 0 to 1. */
  double share(String server, int port) {
    long seen = hosts();
    int who = count(server, port);
    return who < 0 || seen == 0 ? 0 : (double) who / seen;
  }

  /** Whether most of the site calls it (and the site is large enough to say). */
  boolean infrastructure(String server, int port) {
    return hosts() >= minHosts && share(server, port) > maxShare;
  }
}
