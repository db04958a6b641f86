package org.bottrace.detect;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.bottrace.event.FlowKey;

/**
 * What a detector found, with its evidence. Built with {@link #builder}.
 *
 * @param note the notice type ("IRC::ControlSession")
 * @param ts event time of the finding (microseconds)
 * @param msg one human-readable sentence
 * @param sub a sub-message: what distinguishes this finding from others of the same note and hosts
 * @param uid the main connection's Zeek uid (or Suricata flow id), or null
 * @param conn the main connection, or null
 * @param src the host that acted (for most notes the internal one), or null
 * @param dst the host acted upon (the server, the listed peer), or null
 * @param p the port involved, or -1
 * @param uids every uid, flow id and community id involved, sorted
 * @param names DNS names involved (checked against the allowlist's domains)
 * @param evidence the figures behind the finding, in a fixed order
 * @param key what identifies the finding's subject, for its stable id
 * @param window start of the time window the finding covers (microseconds), for its stable id
 * @param facts the distinct items of evidence: a finding with a fact not reported before is written
 *     again even inside the suppression interval
 * @param sensorIds whether the pipeline adds the ids other sensors gave the main connection (off for
 *     findings whose ids must not depend on when the other sensor's records were read)
 */
public record Finding(String note, long ts, String msg, String sub, String uid, FlowKey conn, String src, String dst,
    int p, List<String> uids, List<String> names, Map<String, Object> evidence, String key, long window,
    Set<String> facts, boolean sensorIds) {

  /** Starts a finding of the given note at event time {@code ts}. */
  public static Builder builder(String note, long ts) {
    return new Builder(note, ts);
  }

  /** Builds a {@link Finding}; every setter may be skipped except {@link #msg} and {@link #key}. */
  public static final class Builder {
    private final String note;
    private final long ts;
    private String msg;
    private String sub;
    private String uid;
    private FlowKey conn;
    private String src;
    private String dst;
    private int p = -1;
    private final Set<String> uids = new TreeSet<>();
    private final Set<String> names = new TreeSet<>();
    private final Map<String, Object> evidence = new LinkedHashMap<>();
    private String key;
    private long window;
    private final Set<String> facts = new TreeSet<>();
    private boolean sensorIds = true;

    private Builder(String note, long ts) {
      this.note = Objects.requireNonNull(note);
      this.ts = ts;
    }

    public Builder msg(String m) {
      this.msg = m;
      return this;
    }

    public Builder sub(String s) {
      this.sub = s;
      return this;
    }

    /** The main connection: its uid and 5-tuple; also added to uids with its community id. */
    public Builder conn(String uidOrFlowId, FlowKey flow) {
      this.uid = uidOrFlowId;
      this.conn = flow;
      if (uidOrFlowId != null) {
        uids.add(uidOrFlowId);
      }
      if (flow != null) {
        String c = flow.communityId();
        if (c != null) {
          uids.add(c);
        }
      }
      return this;
    }

    public Builder src(String s) {
      this.src = s;
      return this;
    }

    public Builder dst(String d) {
      this.dst = d;
      return this;
    }

    public Builder port(int port) {
      this.p = port;
      return this;
    }

    public Builder uid(String u) {
      if (u != null) {
        uids.add(u);
      }
      return this;
    }

    public Builder uids(Collection<String> us) {
      for (String u : us) {
        uid(u);
      }
      return this;
    }

    public Builder name(String n) {
      if (n != null) {
        names.add(n);
      }
      return this;
    }

    /** Adds evidence; null values are left out. */
    public Builder evidence(String k, Object v) {
      if (v != null) {
        evidence.put(k, v);
      }
      return this;
    }

    public Builder key(String k) {
      this.key = k;
      return this;
    }

    public Builder window(long w) {
      this.window = w;
      return this;
    }

    public Builder fact(String f) {
      facts.add(f);
      return this;
    }

    public Builder facts(Collection<String> fs) {
      facts.addAll(fs);
      return this;
    }

    /** The uids given are all there is: the pipeline adds no ids of other sensors. */
    public Builder ownIdsOnly() {
      this.sensorIds = false;
      return this;
    }

    public Finding build() {
      if (msg == null || key == null) {
        throw new IllegalStateException("a finding needs msg and key: " + note);
      }
      return new Finding(note, ts, msg, sub, uid, conn, src, dst, p, List.copyOf(uids), List.copyOf(names),
          Collections.unmodifiableMap(new LinkedHashMap<>(evidence)), key, window,
          Collections.unmodifiableSet(new TreeSet<>(facts)), sensorIds);
    }
  }

  /** A sorted copy of the strings, for evidence lists. */
  public static List<String> sorted(Collection<String> c) {
    List<String> l = new ArrayList<>(c);
    Collections.sort(l);
    return List.copyOf(l);
  }
}
