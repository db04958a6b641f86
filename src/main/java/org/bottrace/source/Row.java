package org.bottrace.source;

import java.util.List;

/**
 * One log record's fields by name, whatever the format. Accessors return null / -1 /
 * {@link org.bottrace.event.Micros#UNSET} for a field that is unset or absent and throw
 * {@link MalformedException} for one whose text is not of its type.
 */
interface Row {
  String str(String name) throws MalformedException;

  long count(String name) throws MalformedException;

  /** A time or interval in microseconds. */
  long micros(String name) throws MalformedException;

  Boolean bool(String name) throws MalformedException;

  List<String> list(String name) throws MalformedException;

  /** A field that must be present and set. */
  default String required(String name) throws MalformedException {
    String s = str(name);
    if (s == null) {
      throw new MalformedException("field " + name + " is missing or unset");
    }
    return s;
  }

  /** A time that must be present and set. */
  default long requiredMicros(String name) throws MalformedException {
    long v = micros(name);
    if (v == org.bottrace.event.Micros.UNSET) {
      throw new MalformedException("field " + name + " is missing or unset");
    }
    return v;
  }

  /** A port (0-65535) that must be present and set. */
  default int port(String name) throws MalformedException {
    long v = count(name);
    if (v < 0 || v > 65535) {
      throw new MalformedException(v < 0 ? "field " + name + " is missing or unset" : "field " + name
          + " is not a port: " + v);
    }
    return (int) v;
  }
}
