package org.bottrace.match;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.bottrace.event.Addresses;

/**
 * A set of IPv4 and IPv6 networks (single addresses are /32 or /128) answering longest-prefix
 * match with the label stored for the matching network. Lookups hash the address once per prefix
 * length present, so their cost does not grow with the number of entries.
 */
public final class IpSet {
  private final Map<Integer, LongTable> v4 = new HashMap<>();
  /** The v4 tables by {@link #v4Lengths}' order. */
  private LongTable[] v4Tables = new LongTable[0];
  private final Map<Integer, Map<V6, String>> v6 = new HashMap<>();
  private int[] v4Lengths = new int[0];
  private int[] v6Lengths = new int[0];
  private int size;

  private record V6(long hi, long lo) {}

  /**
   * Adds a network written as an address or CIDR ("10.0.0.0/8", "2001:db8::/32", "1.2.3.4").
   *
   * @param label what a lookup that matches this network returns
   * @return false if the text is not an address or CIDR
   */
  public boolean add(String cidr, String label) {
    int slash = cidr.indexOf('/');
    String a = slash < 0 ? cidr : cidr.substring(0, slash);
    byte[] b = Addresses.parse(a.trim());
    if (b == null) {
      return false;
    }
    int max = b.length * 8;
    int len = max;
    if (slash >= 0) {
      String l = cidr.substring(slash + 1).trim();
      if (l.isEmpty() || l.length() > 3 || !l.chars().allMatch(Character::isDigit)) {
        return false;
      }
      len = Integer.parseInt(l);
      if (len > max) {
        return false;
      }
    }
    if (b.length == 4) {
      long key = v4(b) & mask4(len);
      if (v4.computeIfAbsent(len, k -> new LongTable()).putIfAbsent(key, label)) {
        size++;
      }
      v4Lengths = lengths(v4.keySet());
      v4Tables = java.util.Arrays.stream(v4Lengths).mapToObj(v4::get).toArray(LongTable[]::new);
    } else {
      V6 key = masked6(b, len);
      if (v6.computeIfAbsent(len, k -> new HashMap<>()).putIfAbsent(key, label) == null) {
        size++;
      }
      v6Lengths = lengths(v6.keySet());
    }
    return true;
  }

  /** The label of the longest network containing the address, or null (also for text that is no address). */
  public String lookup(String address) {
    if (size == 0 || address == null) {
      return null;
    }
    long four = Addresses.ipv4(address);
    if (four >= 0) {
      for (int i = 0; i < v4Lengths.length; i++) {
        String l = v4Tables[i].get(four & mask4(v4Lengths[i]));
        if (l != null) {
          return l;
        }
      }
      return null;
    }
    byte[] b = Addresses.parse(address);
    if (b == null) {
      return null;
    }
    if (b.length == 4) {
      long a = v4(b);
      for (int len : v4Lengths) {
        String l = v4.get(len).get(a & mask4(len));
        if (l != null) {
          return l;
        }
      }
      return null;
    }
    for (int len : v6Lengths) {
      String l = v6.get(len).get(masked6(b, len));
      if (l != null) {
        return l;
      }
    }
    return null;
  }

  /** The longest network containing the address, as "address/length" (canonical), or null. */
  public String matchedNetwork(String address) {
    byte[] b = address == null ? null : Addresses.parse(address);
    if (b == null || size == 0) {
      return null;
    }
    if (b.length == 4) {
      long a = v4(b);
      for (int len : v4Lengths) {
        if (v4.get(len).get(a & mask4(len)) != null) {
          return format4(a & mask4(len)) + "/" + len;
        }
      }
      return null;
    }
    for (int len : v6Lengths) {
      V6 k = masked6(b, len);
      if (v6.get(len).containsKey(k)) {
        return format6(k) + "/" + len;
      }
    }
    return null;
  }

  /** Every network, as "address/length" (canonical). */
  public java.util.List<String> networks() {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (Map.Entry<Integer, LongTable> e : v4.entrySet()) {
      e.getValue().keys(k -> out.add(format4(k) + "/" + e.getKey()));
    }
    for (Map.Entry<Integer, Map<V6, String>> e : v6.entrySet()) {
      for (V6 k : e.getValue().keySet()) {
        out.add(format6(k) + "/" + e.getKey());
      }
    }
    java.util.Collections.sort(out);
    return out;
  }

  private static String format4(long a) {
    return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
  }

  private static String format6(V6 k) {
    byte[] b = new byte[16];
    for (int i = 0; i < 8; i++) {
      b[i] = (byte) (k.hi() >>> (56 - 8 * i));
      b[8 + i] = (byte) (k.lo() >>> (56 - 8 * i));
    }
    return Addresses.format(b);
  }

  /** Whether any network contains the address. */
  public boolean contains(String address) {
    return lookup(address) != null;
  }

  /** Number of networks. */
  public int size() {
    return size;
  }

  private static int[] lengths(java.util.Set<Integer> keys) {
    TreeSet<Integer> t = new TreeSet<>(keys);
    return t.descendingSet().stream().mapToInt(Integer::intValue).toArray();
  }

  private static long v4(byte[] b) {
    return ((b[0] & 255L) << 24) | ((b[1] & 255L) << 16) | ((b[2] & 255L) << 8) | (b[3] & 255L);
  }

  private static long mask4(int len) {
    return len == 0 ? 0 : (0xffffffffL << (32 - len)) & 0xffffffffL;
  }

  private static V6 masked6(byte[] b, int len) {
    long hi = 0;
    long lo = 0;
    for (int i = 0; i < 8; i++) {
      hi = (hi << 8) | (b[i] & 255L);
      lo = (lo << 8) | (b[i + 8] & 255L);
    }
    if (len <= 64) {
      hi = len == 0 ? 0 : hi & (-1L << (64 - len));
      lo = 0;
    } else {
      lo = len == 128 ? lo : lo & (-1L << (128 - len));
    }
    return new V6(hi, lo);
  }

  @Override
  public String toString() {
    return "IpSet" + Arrays.toString(v4Lengths) + Arrays.toString(v6Lengths) + " size=" + size;
  }
}
