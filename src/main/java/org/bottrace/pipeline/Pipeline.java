package org.bottrace.pipeline;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.RemovalListener;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;
import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;
import org.bottrace.detect.Detector;
import org.bottrace.detect.DetectorContext;
import org.bottrace.detect.DetectorFactory;
import org.bottrace.event.Event;
import org.bottrace.feedback.Feedback;
import org.bottrace.finding.Finding;
import org.bottrace.match.IpSet;
import org.bottrace.sink.Notice;
import org.bottrace.sink.NoticeSink;
import org.bottrace.source.Diagnostics;
import org.bottrace.state.StateStore;

/**
 * Detectors, then allowlist, suppression and sink, on one thread. Findings a detector emits while a
 * record or a watermark step is handled are sorted by (ts, note, key) before they are written, so the
 * output order never depends on hash order or cache internals.
 */
public final class Pipeline {
  private static final Comparator<Emitted> ORDER = Comparator.<Emitted>comparingLong(e -> e.finding.ts())
      .thenComparing(e -> e.finding.note()).thenComparing(e -> e.finding.key());

  private final Settings settings;
  private final StateStore store;
  private final NoticeSink sink;
  private final Diagnostics diag;
  private final RunStats stats;
  private final Suppressor suppressor;
  private final org.bottrace.state.FlowIndex flows;
  private final org.bottrace.enrich.Enricher enricher;
  private final Feedback feedback;
  private boolean geoWarned;
  private final Map<String, Detector> detectors = new TreeMap<>();
  /** The detectors and their names in the map's order, for the loop every record takes (no iterator). */
  private String[] detectorNames = new String[0];
  private Detector[] detectorList = new Detector[0];
  private final List<Emitted> pending = new ArrayList<>();
  private String current;
  private long errorsReported;

  private record Emitted(Finding finding, String detector) {}

  /**
   * Builds the pipeline and every enabled detector.
   *
   * @throws ConfigException when a detector's configuration is wrong or names an unknown detector
   */
  public Pipeline(Settings settings, NoticeSink sink, Diagnostics diag, RunStats stats) throws ConfigException {
    this(settings, sink, diag, stats, Mode.REPLAY);
  }

  /** What the pipeline is for: a live run, a replay of logs, or bottrace check. */
  public enum Mode { RUN, REPLAY, CHECK }

  /**
   * A pipeline. CHECK builds disabled detectors too, so that their keys are validated, and writes nothing
   * anywhere (the list history is not opened); REPLAY reads the list history as of the logs' days and
   * records nothing in it; RUN records today's load of every list.
   */
  public Pipeline(Settings settings, NoticeSink sink, Diagnostics diag, RunStats stats, Mode mode)
      throws ConfigException {
    this(settings, sink, diag, stats, mode, true, null);
  }

  /**
   * As {@link #Pipeline(Settings, NoticeSink, Diagnostics, RunStats, Mode)}; without {@code feedback}, no
   * feedback files are written whatever the configuration says (bottrace report); {@code feedbackDir}
   * (--feedback-dir), when not null, is where they go rather than the folder feedback.dir names.
   */
  public Pipeline(Settings settings, NoticeSink sink, Diagnostics diag, RunStats stats, Mode mode, boolean feedback,
      Path feedbackDir) throws ConfigException {
    boolean checkOnly = mode == Mode.CHECK;
    this.settings = settings;
    this.store = new StateStore(settings.maxEntries());
    this.sink = sink;
    this.diag = diag;
    this.stats = stats;
    this.suppressor = new Suppressor(settings.suppressInterval(), store);
    // a connection's ids are kept an hour of log time after it was last seen
    this.flows = new org.bottrace.state.FlowIndex(store, 0, Duration.ofHours(1), settings.compactState());
    // the lists declared at the top: read once, used by name (or all of them) by every section
    org.bottrace.match.ThreatLists declared = org.bottrace.match.ThreatLists.define(settings.top(), new Context());
    try {
      new Context().shared(org.bottrace.match.ThreatLists.DECLARED, () -> declared);
    } catch (IOException cannot) {
      throw new IllegalStateException(cannot);
    }
    createDetectors(settings.detectors(), checkOnly);
    this.detectorNames = detectors.keySet().toArray(new String[0]);
    this.detectorList = detectors.values().toArray(new Detector[0]);
    this.enricher = org.bottrace.enrich.Enricher.create(settings.enrichment(), store, new Context(), 0,
        switch (mode) {
          case RUN -> org.bottrace.enrich.Enricher.History.RECORD;
          case REPLAY -> org.bottrace.enrich.Enricher.History.READ;
          case CHECK -> org.bottrace.enrich.Enricher.History.CHECK;
        });
    this.feedback = feedback ? Feedback.create(settings.feedback(), feedbackDir, diag::warn, checkOnly) : null;
    if (this.feedback != null) {
      // what an analyst has allowlisted since is withdrawn from the sensors
      this.feedback.withdraw(settings::allowlisted);
    }

  }

  /** The feedback to the sensors, or null when none is written. */
  public Feedback feedback() {
    return feedback;
  }

  /** Every detector on the class path, by name. */
  public static Map<String, DetectorFactory> factories() {
    Map<String, DetectorFactory> out = new TreeMap<>();
    for (DetectorFactory f : ServiceLoader.load(DetectorFactory.class)) {
      out.put(f.name(), f);
    }
    return out;
  }

  private void createDetectors(ConfigNode section, boolean checkOnly) throws ConfigException {
    Map<String, DetectorFactory> all = factories();
    for (String k : section.keys()) {
      if (k.equals("IRC::ControlSession")) {
        throw section.error(k, "IRC::ControlSession is now part of IRC::Botnet: configure it as"
            + " IRC::Botnet.control_sessions (enabled, quiet)");
      }
      if (!all.containsKey(k)) {
        throw section.error(k, "unknown detector; available detectors are " + all.keySet());
      }
    }
    Context ctx = new Context();
    for (DetectorFactory f : all.values()) {
      ConfigNode c = section.child(f.name());
      if (c.bool("enabled", f.enabledByDefault())) {
        current = f.name();
        detectors.put(f.name(), f.create(c, ctx));
      } else if (checkOnly) {
        current = f.name();
        f.create(c, ctx); // a disabled section's keys are checked too, the detector is not run
      } else {
        c.keys().forEach(c::consumed);
      }
      c.finish();
    }
    section.finish();
    current = null;
  }

  /** The server enrichment (for bottrace report). */
  public org.bottrace.enrich.Enricher enricher() {
    return enricher;
  }

  /** Names of the detectors that run. */
  public List<String> detectorNames() {
    return List.copyOf(detectors.keySet());
  }

  /** The caches, for stats. */
  public StateStore store() {
    return store;
  }

  /** Every cache of every detector, suppression and the flow index, for a checkpoint. */
  public void snapshot(com.fasterxml.jackson.core.JsonGenerator g) throws IOException {
    g.writeStartObject();
    store.snapshot(g, Checkpoints.MAPPER);
    g.writeNumberField("suppressed_total", suppressor.suppressedTotal());
    g.writeEndObject();
  }

  /** Restores what {@link #snapshot} kept; returns what could not be restored. */
  public List<String> restore(com.fasterxml.jackson.databind.JsonNode snap) {
    suppressor.restoreTotal(snap.path("suppressed_total").asLong());
    return store.restore(snap, Checkpoints.MAPPER);
  }

  /** Hands one record to every detector. */
  public void accept(Event e) throws IOException {
    long ts = e.ts();
    if (ts < stats.firstTs) {
      stats.firstTs = ts;
    }
    if (ts > stats.lastTs) {
      stats.lastTs = ts;
    }
    flows.observe(e);
    enricher.observe(e);
    each(d -> d.onEvent(e), e);
    drain();
  }

  /** The watermark advanced: expire state, let detectors close windows. */
  public void watermark(long w) throws IOException {
    store.advance(w);
    each(d -> d.onWatermark(w), null);
    drain();
    if (feedback != null) {
      feedback.tick(w);
    }
  }

  /** End of input: everything pending is reported and flushed, and all state expires. */
  public void end() throws IOException {
    report();
    store.advance(Long.MAX_VALUE);
    drain();
    stats.suppressed = suppressor.suppressedTotal();
    sink.flush();
  }

  /**
   * A run stops with its input idle: what detectors hold pending is reported, but their state is kept,
   * so that the checkpoint written next resumes with it (channel members, suppression, ...).
   */
  public void report() throws IOException {
    // detectors flush first, while suppression state still holds
    each(Detector::onEnd, null);
    drain();
    stats.suppressed = suppressor.suppressedTotal();
    sink.flush();
    if (feedback != null) {
      feedback.flush();
    }
  }

  /** Runs a call on every detector; one that throws is reported and the others still run. */
  private void each(java.util.function.Consumer<Detector> call, Event e) {
    for (int i = 0; i < detectorList.length; i++) {
      current = detectorNames[i];
      try {
        call.accept(detectorList[i]);
      } catch (RuntimeException ex) {
        detectorFailed(detectorNames[i], ex, e);
      }
    }
    current = null;
  }

  private void detectorFailed(String name, RuntimeException ex, Event e) {
    stats.detectorErrors++;
    if (errorsReported++ < 10) {
      diag.warn("detector " + name + " failed" + (e == null ? "" : " on a " + e.type() + " record at "
          + org.bottrace.event.Micros.formatEpoch(e.ts())) + ": " + ex);
    }
  }

  /**
   * Writes what detectors emitted, in order, handing each finding to the other detectors first (what
   * they emit in turn is the next batch: a correlation cannot loop back into the finding that caused
   * it, since a detector never sees its own).
   */
  private void drain() throws IOException {
    for (int round = 0; !pending.isEmpty(); round++) {
      List<Emitted> batch = new ArrayList<>(pending);
      pending.clear();
      batch.sort(ORDER);
      write(batch, round < 8);
    }
  }

  private void write(List<Emitted> batch, boolean route) throws IOException {
    // the enrichment learns from the whole batch before it enriches any of it: the notices of one
    // instant give a server one administrator class, whichever of them is written first
    for (Emitted em : batch) {
      if (!settings.allowlisted(em.finding)) {
        enricher.learn(em.finding);
      }
    }
    for (Emitted em : batch) {
      Finding f = em.finding;
      if (settings.allowlisted(f)) {
        stats.allowlisted.merge(f.note(), 1L, Long::sum);
        continue;
      }
      if (route) {
        for (Map.Entry<String, Detector> d : detectors.entrySet()) {
          if (!d.getKey().equals(em.detector)) {
            current = d.getKey();
            try {
              d.getValue().onFinding(f);
            } catch (RuntimeException ex) {
              detectorFailed(d.getKey(), ex, null);
            }
          }
        }
        current = null;
      }
      if (feedback != null) {
        feedback.offer(f); // repeats too: each renews what it names
      }
      if (f.severity().compareTo(settings.minSeverity()) < 0) {
        stats.belowSeverity.merge(f.note(), 1L, Long::sum);
        continue; // below notices.min_severity: not written (the correlating detectors had it)
      }
      long suppressed = suppressor.offer(f);
      if (suppressed < 0) {
        continue;
      }
      f = withSensorIds(f);
      Map<String, Object> enrichment = enricher.enrich(f);
      if (!enrichment.isEmpty() && !enricher.hasGeo() && !geoWarned) {
        geoWarned = true; // once: the first notice that names a server
        diag.warn("no GeoIP database (enrichment.geoip): servers get no country");
      }
      sink.write(Notice.of(f, em.detector, suppressed, enrichment));
      stats.notices.merge(f.note(), 1L, Long::sum);
    }
  }

  /** Adds the ids the other sensor gave the main connection (a Zeek uid to a Suricata finding, and so on). */
  private Finding withSensorIds(Finding f) {
    List<String> ids = f.sensorIds() ? flows.ids(f.conn()) : List.of();
    if (ids.isEmpty() || f.uids().containsAll(ids)) {
      return f;
    }
    java.util.TreeSet<String> all = new java.util.TreeSet<>(f.uids());
    all.addAll(ids);
    return f.withUids(List.copyOf(all));
  }

  /** What {@link DetectorContext#shared} made, by key. */
  private final Map<String, Object> shared = new java.util.HashMap<>();

  private final class Context implements DetectorContext {
    @Override
    @SuppressWarnings("unchecked")
    public <T> T shared(String key, Maker<T> make) throws IOException {
      Object o = shared.get(key);
      if (o == null) {
        o = make.make();
        shared.put(key, o);
      }
      return (T) o;
    }

    @Override
    public void emit(Finding f) {
      pending.add(new Emitted(f, current == null ? f.note() : current));
    }

    @Override
    public <K, V> Cache<K, V> cache(String name, long maxEntries, Duration idle, RemovalListener<K, V> onRemoval,
        StateStore.Codec codec) {
      return store.newCache(name, maxEntries, idle, owned(onRemoval), codec);
    }

    @Override
    public <K, V> Cache<K, V> deadlineCache(String name, long maxEntries,
        java.util.function.ToLongFunction<V> deadlineMicros, RemovalListener<K, V> onRemoval, StateStore.Codec codec) {
      return store.newDeadlineCache(name, maxEntries, deadlineMicros, owned(onRemoval), codec);
    }

    @Override
    public <V> org.bottrace.state.CompactTable<V> table(String name, long maxEntries, Duration maxLifetime,
        Class<V> valueType) {
      return store.newTable(name, maxEntries, maxLifetime, valueType);
    }

    @Override
    public boolean compactState() {
      return settings.compactState();
    }

    /** The listener, run as its detector (so its findings carry the detector's name and its failures are caught). */
    private <K, V> RemovalListener<K, V> owned(RemovalListener<K, V> onRemoval) {
      if (onRemoval == null) {
        return null;
      }
      String owner = current;
      return (k, v, cause) -> {
        String was = current;
        current = owner;
        try {
          onRemoval.onRemoval(k, v, cause);
        } catch (RuntimeException ex) {
          detectorFailed(owner, ex, null);
        } finally {
          current = was;
        }
      };
    }

    @Override
    public IpSet home() {
      return settings.home();
    }

    @Override
    public void warn(String message) {
      diag.warn(message);
    }

    @Override
    public void evicted(String what, long n, String why) {
      if (n > 0 && stats.evicted.merge(what, n, Long::sum) == n) {
        diag.warn(why + " (counted as " + what + " in the status and the summary)");
      }
    }
  }
}
