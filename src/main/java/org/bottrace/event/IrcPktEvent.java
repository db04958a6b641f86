package org.bottrace.event;

/**
 * A row of irc_pkt.log, written by bottrace's Zeek package: one payload-carrying TCP packet of an IRC
 * connection, its size (document 000's Sn) and the time since the previous one in the same direction
 * (its Tn).
 *
 * @param ts when the packet was seen
 * @param uid Zeek connection uid
 * @param flow client to server
 * @param isOrig true for a packet the client sent
 * @param len TCP payload bytes
 * @param gap microseconds since the previous payload packet in the same direction, or
 *     {@link Micros#UNSET} for the first
 */
public record IrcPktEvent(long ts, String uid, FlowKey flow, boolean isOrig, long len, long gap) implements Event {
  @Override
  public String ref() {
    return uid;
  }

  @Override
  public String type() {
    return "irc_pkt";
  }
}
