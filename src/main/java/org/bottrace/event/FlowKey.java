package org.bottrace.event;

/**
 * The 5-tuple of a connection as the sensor saw it: originator (Zeek {@code id.orig_*}, Suricata
 * {@code src_*}) and responder. Addresses are in canonical text form (see {@link Addresses#canonical}).
 *
 * @param origH originator address
 * @param origP originator port (ICMP: type)
 * @param respH responder address
 * @param respP responder port (ICMP: code)
 * @param proto transport protocol in lower case: tcp, udp, icmp, icmp6, sctp, or "" when unknown
 */
public record FlowKey(String origH, int origP, String respH, int respP, String proto) {

  /** Community ID v1 (seed 0) of this 5-tuple; null when the protocol is unknown. */
  public String communityId() {
    return CommunityId.v1(this, 0);
  }

  /** The same flow seen from the other side. */
  public FlowKey reversed() {
    return new FlowKey(respH, respP, origH, origP, proto);
  }
}
