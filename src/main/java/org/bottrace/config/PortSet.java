package org.bottrace.config;

import java.util.BitSet;
import java.util.List;

/** A set of TCP/UDP ports from a configuration list of ports and ranges ("445", "6660-6669"). */
public final class PortSet {
  private final BitSet ports = new BitSet(65536);

  private PortSet() {}

  /**
   * Parses the entries.
   *
   * @throws IllegalArgumentException naming the first entry that is neither a port nor a range
   */
  static PortSet parse(List<String> entries) {
    PortSet s = new PortSet();
    for (String p : entries) {
      String[] ab = p.split("-", 2);
      try {
        int a = Integer.parseInt(ab[0].trim());
        int b = ab.length > 1 ? Integer.parseInt(ab[1].trim()) : a;
        if (a < 0 || b > 65535 || b < a) {
          throw new NumberFormatException();
        }
        s.ports.set(a, b + 1);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("expected a port or a range like 6660-6669, found '" + p + "'");
      }
    }
    return s;
  }

  public boolean contains(int port) {
    return port >= 0 && port <= 65535 && ports.get(port);
  }
}
