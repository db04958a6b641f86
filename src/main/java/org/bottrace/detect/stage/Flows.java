package org.bottrace.detect.stage;

import java.util.Set;
import org.bottrace.event.ConnEvent;
import org.bottrace.event.EveFlow;

/** What a finished connection's record says about it, the same way for every detector that reads flows. */
final class Flows {
  /** Zeek conn states of an attempt that failed or went unanswered (with no payload either way). */
  private static final Set<String> FAILED = Set.of("S0", "REJ", "RSTO", "RSTR", "RSTOS0", "RSTRH", "SH", "SHR", "OTH");

  private Flows() {}

  /** A Zeek connection that failed or went unanswered: a failed state and no payload either way. */
  static boolean failed(ConnEvent c) {
    return c.origBytes() <= 0 && c.respBytes() <= 0 && c.connState() != null && FAILED.contains(c.connState());
  }

  /**
   * A Suricata flow that failed or went unanswered: no packet back, a flow that never left state new, or
   * a reset after at most two packets each way.
   */
  static boolean failed(EveFlow f) {
    return f.pktsToClient() == 0 || "new".equals(f.state())
        || rst(f.tcpFlags()) && f.pktsToServer() <= 2 && f.pktsToClient() <= 2;
  }

  private static boolean rst(String hexFlags) {
    if (hexFlags == null || hexFlags.isEmpty()) {
      return false;
    }
    try {
      return (Integer.parseInt(hexFlags, 16) & 0x04) != 0;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
