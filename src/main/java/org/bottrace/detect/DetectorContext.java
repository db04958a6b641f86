package org.bottrace.detect;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalListener;
import java.time.Duration;
import org.bottrace.enrich.IpSet;

/** What a detector may use: the finding output, event-time caches and the site's networks. */
public interface DetectorContext {
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

  /** Makes a shared object; may fail with an I/O error. */
  interface Maker<T> {
    T make() throws java.io.IOException;
  }

  /**
   * One object per key for the whole pipeline, made by {@code make} the first time it is asked for: a
   * list file named alike by several sections is read (and kept in memory) once.
   */
  <T> T shared(String key, Maker<T> make) throws java.io.IOException;

  /** The home networks: which addresses are ours. */
  IpSet home();

  /** Warnings about the input or the configuration that do not stop the run. */
  void warn(String message);

  /**
   * Counts what a bound inside a detector's state made it forget ({@code what}, e.g. "irc.sessions"):
   * shown in the status and the run's summary; the first of each kind is also a warning, {@code why}.
   */
  void evicted(String what, long n, String why);
}
