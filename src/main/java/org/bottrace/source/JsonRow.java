package org.bottrace.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bottrace.event.Micros;

/** A flattened JSON record ({@link JsonLine}) seen through {@link Row}: absent or null means unset. */
final class JsonRow implements Row {
  private static final long MILLIS_FROM = 100_000_000_000L;
  private final Map<String, Object> m;

  JsonRow(Map<String, Object> m) {
    this.m = m;
  }

  Map<String, Object> map() {
    return m;
  }

  @Override
  public String str(String name) throws MalformedException {
    Object v = m.get(name);
    if (v == null) {
      return null;
    }
    if (v instanceof String) {
      return (String) v;
    }
    if (v instanceof Long || v instanceof Boolean) {
      return v.toString();
    }
    if (v instanceof Double) {
      return Double.toString((Double) v);
    }
    throw new MalformedException("field " + name + " is not a single value");
  }

  @Override
  public long count(String name) throws MalformedException {
    Object v = m.get(name);
    if (v == null) {
      return -1;
    }
    if (v instanceof Long) {
      long l = (Long) v;
      if (l >= 0) {
        return l;
      }
    } else if (v instanceof Double) {
      double d = (Double) v;
      if (d >= 0 && d == Math.rint(d) && d < 9.2e18) {
        return (long) d;
      }
    } else if (v instanceof String) {
      try {
        long l = Long.parseLong((String) v);
        if (l >= 0) {
          return l;
        }
      } catch (NumberFormatException e) {
        // fall through
      }
    }
    throw new MalformedException("field " + name + " is not a count: " + v);
  }

  @Override
  public long micros(String name) throws MalformedException {
    Object v = m.get(name);
    if (v == null) {
      return Micros.UNSET;
    }
    try {
      if (v instanceof Long) {
        long l = (Long) v;
        // an integer past 1e11 is milliseconds (zeek-kafka's JSON::TS_MILLIS): 1e11 seconds is the year
        // 5138, 1e11 ms is 1973
        return Math.abs(l) >= MILLIS_FROM ? l * 1_000L : l * 1_000_000L;
      }
      if (v instanceof Double) {
        return Micros.fromDouble((Double) v);
      }
      if (v instanceof String) {
        return Micros.parseAny((String) v);
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new MalformedException("field " + name + " is not a time: " + v);
  }

  @Override
  public Boolean bool(String name) throws MalformedException {
    Object v = m.get(name);
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    if ("T".equals(v) || "true".equals(v)) {
      return Boolean.TRUE;
    }
    if ("F".equals(v) || "false".equals(v)) {
      return Boolean.FALSE;
    }
    throw new MalformedException("field " + name + " is not a bool: " + v);
  }

  @Override
  public List<String> list(String name) throws MalformedException {
    Object v = m.get(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List)) {
      return List.of(str(name));
    }
    List<?> l = (List<?>) v;
    List<String> out = new ArrayList<>(l.size());
    for (Object o : l) {
      if (o instanceof Map || o instanceof List) {
        throw new MalformedException("field " + name + " is not a list of values");
      }
      out.add(o instanceof Double ? Micros.formatEpoch(Micros.fromDouble((Double) o)) : o.toString());
    }
    return List.copyOf(out);
  }

  /** A list of JSON objects (EVE dns answers), each a flattened map; empty when absent. */
  @SuppressWarnings("unchecked")
  List<Map<String, Object>> objects(String name) throws MalformedException {
    Object v = m.get(name);
    if (v == null) {
      return List.of();
    }
    if (!(v instanceof List)) {
      throw new MalformedException("field " + name + " is not a list");
    }
    List<Map<String, Object>> out = new ArrayList<>();
    for (Object o : (List<?>) v) {
      if (!(o instanceof Map)) {
        throw new MalformedException("field " + name + " is not a list of objects");
      }
      out.add((Map<String, Object>) o);
    }
    return out;
  }
}
