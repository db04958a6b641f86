package org.bottrace.event;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * Community ID flow hashing, version 1 (https://github.com/corelight/community-id-spec), so that a
 * Zeek record and a Suricata record of the same flow share a key even when a log lacks the field.
 */
public final class CommunityId {
  private static final Map<Integer, Integer> ICMP4_PAIRS = Map.of(
      8, 0, 0, 8, 13, 14, 14, 13, 15, 16, 16, 15, 10, 9, 9, 10, 17, 18, 18, 17);
  private static final Map<Integer, Integer> ICMP6_PAIRS = Map.of(
      128, 129, 129, 128, 133, 134, 134, 133, 135, 136, 136, 135, 130, 131, 131, 130, 144, 145, 145, 144);
  private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-1", e);
    }
  });

  private CommunityId() {}

  /** IANA protocol number of a transport name, or -1. */
  public static int protoNumber(String proto) {
    switch (proto == null ? "" : proto.toLowerCase(java.util.Locale.ROOT)) {
      case "tcp": return 6;
      case "udp": return 17;
      case "icmp": return 1;
      case "icmp6": case "ipv6-icmp": case "icmpv6": return 58;
      case "sctp": return 132;
      default: return -1;
    }
  }

  /**
   * The "1:base64" Community ID of a flow; for ICMP the ports are type (orig) and code (resp) as Zeek
   * logs them. Null when the protocol or an address is unknown.
   */
  public static String v1(FlowKey k, int seed) {
    int proto = protoNumber(k.proto());
    byte[] src = Addresses.parse(k.origH());
    byte[] dst = Addresses.parse(k.respH());
    if (proto < 0 || src == null || dst == null || src.length != dst.length) {
      return null;
    }
    int sp = k.origP();
    int dp = k.respP();
    boolean oneWay = false;
    if (proto == 1 || proto == 58) {
      Integer peer = (proto == 1 ? ICMP4_PAIRS : ICMP6_PAIRS).get(sp);
      if (peer != null) {
        dp = peer;
      } else {
        oneWay = true;
      }
    }
    if (!oneWay) {
      int c = compare(src, dst);
      if (c > 0 || (c == 0 && sp > dp)) {
        byte[] t = src;
        src = dst;
        dst = t;
        int tp = sp;
        sp = dp;
        dp = tp;
      }
    }
    MessageDigest md = SHA1.get();
    md.reset();
    md.update((byte) (seed >> 8));
    md.update((byte) seed);
    md.update(src);
    md.update(dst);
    md.update((byte) proto);
    md.update((byte) 0);
    md.update((byte) (sp >> 8));
    md.update((byte) sp);
    md.update((byte) (dp >> 8));
    md.update((byte) dp);
    return "1:" + Base64.getEncoder().encodeToString(md.digest());
  }

  private static int compare(byte[] a, byte[] b) {
    for (int i = 0; i < a.length; i++) {
      int c = Integer.compare(a[i] & 255, b[i] & 255);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
