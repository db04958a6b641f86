package org.bottrace.detect.stage;

import java.time.Duration;
import java.util.Arrays;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.detect.DetectorContext;
import org.bottrace.event.Addresses;
import org.bottrace.state.CompactTable;

/**
 * {@link Prevalence} in compact tables: every outbound connection passes here, most to a server no other
 * host calls, so the state is compact ({@link CompactTable}): a host is 24 bytes (48 at the bound); a
 * server with one caller too (the caller inline), a server with more holds their keys in an array.
 */
final class SitePrevalence extends Prevalence {
  private static final int MAX_CALLERS = 10_000;
  /** Server and port to its first caller (the entry's long) and, once there are more, all of them. */
  private final CompactTable<Callers> callers;
  /** The internal hosts seen calling out, alive while seen within the window. */
  private final CompactTable<Void> hosts;
  private final long window;

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
   * Tables {@code name}.callers and {@code name}.hosts; {@code max_site_hosts} bounds the hosts counted
   * (a million, 48 MiB when full).
   */
  SitePrevalence(DetectorContext ctx, String name, long maxEntries, Duration window, ConfigNode c)
      throws ConfigException {
    super(c);
    this.window = window.toNanos() / 1000;
    this.callers = ctx.table(name + ".callers", maxEntries, window, Callers.class);
    this.hosts = ctx.table(name + ".hosts", c.integer("max_site_hosts", 1 << 20, 100, CompactTable.MAX_ENTRIES), window, Void.class);
  }

  private static long service(String server, int port) {
    return Addresses.key(server, port);
  }

  /** What the touches read (kept so that they are not optimised away). */
  private long touched;

  @Override
  void call(String host, String server, int port) {
    long until = hosts.now() + window; // alive for a window after it was last seen (or asked about)
    long h = Addresses.key(host);
    long s = service(server, port);
    touched ^= hosts.touch(h) ^ callers.touch(s); // both tables' memory at once
    int at = hosts.find(h);
    if (at < 0) {
      hosts.put(h, until, 0, null);
    } else {
      hosts.update(at, until, 0, null);
    }
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

  @Override
  int count(String server, int port) {
    int slot = callers.read(service(server, port), window);
    if (slot < 0) {
      return -1;
    }
    Callers more = callers.value(slot);
    return more == null ? 1 : more.n;
  }

  @Override
  long hosts() {
    return hosts.live();
  }
}
