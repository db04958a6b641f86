package org.bottrace.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class CommunityIdTest {
  @Test
  void v1_specExampleTcp() {
    FlowKey k = new FlowKey("128.232.110.120", 34855, "66.35.250.204", 80, "tcp");
    assertEquals("1:LQU9qZlK+B5F3KDmev6m5PMibrg=", k.communityId());
  }

  @Test
  void v1_sameForBothDirections() {
    FlowKey k = new FlowKey("10.0.0.7", 50447, "85.17.184.21", 6667, "tcp");
    assertEquals(k.communityId(), k.reversed().communityId());
  }

  @Test
  void v1_unknownProtocolGivesNone() {
    assertNull(new FlowKey("10.0.0.7", 1, "10.0.0.8", 2, "").communityId());
  }

  @Test
  void canonical_suricataExpandedIpv6EqualsZeekCompressed() {
    assertEquals("2a03:b0c0:2:d0::bd3:4001", Addresses.canonical("2a03:b0c0:0002:00d0:0000:0000:0bd3:4001"));
    assertEquals("2001:718:2:1611:0:1:0:90", Addresses.canonical("2001:718:2:1611:0:1:0:90"));
    assertEquals("ff02::fb", Addresses.canonical("FF02:0:0:0:0:0:0:FB"));
    assertEquals("::", Addresses.canonical("0:0:0:0:0:0:0:0"));
    assertEquals("::ffff:1.2.3.4", Addresses.canonical("::ffff:1.2.3.4"));
    assertEquals("not-an-address", Addresses.canonical("not-an-address"));
  }
}
