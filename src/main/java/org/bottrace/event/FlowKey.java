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

  /**
   * A 64-bit hash of this 5-tuple that is the same for either direction: what the community id is for,
   * without its SHA-1, for state that only has to tell one connection from another.
   */
  public long tupleHash() {
    long p = proto.hashCode() * 0x9E3779B97F4A7C15L;
    return mix(p + mix(hash64(origH) ^ origP) + mix(hash64(respH) ^ respP));
  }

  /** FNV-1a over the characters of {@code s} (0 for null). */
  static long hash64(String s) {
    if (s == null) {
      return 0;
    }
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return h;
  }

  /** A 64-bit finaliser (MurmurHash3's fmix64): every input bit moves every output bit. */
  public static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }

  /** The same flow seen from the other side. */
  public FlowKey reversed() {
    return new FlowKey(respH, respP, origH, origP, proto);
  }
}
