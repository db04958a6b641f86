package org.bottrace.detect;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalListener;
import java.time.Duration;
import org.bottrace.finding.Finding;
import org.bottrace.match.IpSet;

/**
 * What a detector may use: the finding output, event-time caches, the site's networks, and the objects and
 * warnings of {@link org.bottrace.state.Shared}.
 */
public interface DetectorContext extends org.bottrace.state.Shared {
  /** Reports a finding; suppression, allowlist and sinks are the pipeline's business. */
  void emit(Finding f);

  /**
   * A bounded cache expiring on event time (see {@link org.bottrace.state.StateStore#newCache}). All of a
   * detector's state must live in such caches: they are what a checkpoint keeps across a restart.
   */
  <K, V> Cache<K, V> cache(String name, long maxEntries, Duration idle, RemovalListener<K, V> onRemoval,
      org.bottrace.state.StateStore.Codec codec);

  /**
   * A bounded cache whose entries expire when the watermark passes a deadline of their own in event
   * time (see {@link org.bottrace.state.StateStore#newDeadlineCache}).
   */
  <K, V> Cache<K, V> deadlineCache(String name, long maxEntries, java.util.function.ToLongFunction<V> deadlineMicros,
      RemovalListener<K, V> onRemoval, org.bottrace.state.StateStore.Codec codec);

  /**
   * A bounded table of small state in primitive arrays, for keys met by the million (see {@link
   * org.bottrace.state.CompactTable}); checkpointed like the caches.
   */
  <V> org.bottrace.state.CompactTable<V> table(String name, long maxEntries, Duration maxLifetime, Class<V> valueType);

  /**
   * Whether state for keys met by the million lives in compact tables ({@code state.compact}, the
   * default); false: in Caffeine caches with string keys, and a pair's first connection in full at once
   * (more memory and time, the same notices: the check of the compact state).
   */
  boolean compactState();

  /** The home networks: which addresses are ours. */
  IpSet home();

  /**
   * Counts what a bound inside a detector's state made it forget ({@code what}, e.g. "irc.sessions"):
   * shown in the status and the run's summary; the first of each kind is also a warning, {@code why}.
   */
  void evicted(String what, long n, String why);
}
