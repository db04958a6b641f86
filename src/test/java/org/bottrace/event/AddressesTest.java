package org.bottrace.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AddressesTest {
  @Test
  void ipv4_parsesLiteralsOnly_andAnswersAgainFromItsMemo() {
    assertEquals(0x0a010203L, Addresses.ipv4("10.1.2.3"));
    assertEquals(0x0a010203L, Addresses.ipv4("10.1.2.3"), "asked again: the same");
    assertEquals(0xffffffffL, Addresses.ipv4("255.255.255.255"));
    for (String no : new String[] {"", "10.1.2", "10.1.2.3.4", "256.1.1.1", "1.2.3.4%eth0", "::1", "a.b.c.d", "1..2.3"}) {
      assertEquals(-1, Addresses.ipv4(no), no);
    }
  }

  /** Keys of state by address and port: no two servers share one, however their numbers and ports add up. */
  @Test
  void keysOfAddressAndPort_andOfTwoAddresses_areDistinct() {
    assertNotEquals(Addresses.key("1.2.3.4", 6667), Addresses.key("1.2.3.5", 6666));
    assertNotEquals(Addresses.key("1.2.3.4", 443), Addresses.key("1.2.4.111", 80));
    assertNotEquals(Addresses.key("10.0.0.1", "10.0.0.2"), Addresses.key("10.0.0.2", "10.0.0.1"));
    Set<Long> seen = new HashSet<>();
    for (int a = 0; a < 64; a++) {
      for (int port : new int[] {0, 1, 80, 443, 6666, 6667, 65535}) {
        assertEquals(true, seen.add(Addresses.key("192.0.2." + a, port)), a + ":" + port);
        assertEquals(true, seen.add(Addresses.key("2001:db8::" + Integer.toHexString(a), port)), a + ":" + port);
        assertEquals(true, seen.add(Addresses.key("c2-" + a + ".example", port)), a + ":" + port);
      }
    }
    Set<Long> pairs = new HashSet<>();
    for (int h = 0; h < 100; h++) {
      for (int s = 0; s < 100; s++) {
        assertEquals(true, pairs.add(Addresses.key("10.0." + h / 256 + "." + h % 256, "203.0.113." + s)));
      }
    }
  }
}
