package org.bottrace.event;

/**
 * A row of irc_pkt.log, written by bottrace's Zeek package: one payload-carrying TCP packet of an IRC
 * connection (or of a TLS session on an IRC port), its size (document 000's Sn) and the time since the previous one in the same direction
 * (its Tn).
 *
 * @param ts when the packet was seen
 * @param uid Zeek connection uid
 * @param flow client to server
 * @param isOrig true for a packet the client sent
 * @param len TCP payload bytes
 * @param gap microseconds since the previous payload packet in the same direction, or
 *     {@link Micros#UNSET} for the first
 * @param encrypted true for a TLS session on an IRC port (the package's {@code encrypted} column): the
 *     sizes are of TLS records carrying IRC lines, not of the lines; false when the column is missing
 */
public record IrcPktEvent(long ts, String uid, FlowKey flow, boolean isOrig, long len, long gap, boolean encrypted)
    implements Event {
  @Override
  public String ref() {
    return uid;
  }

  @Override
  public String type() {
    return "irc_pkt";
  }
}
