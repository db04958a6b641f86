package org.bottrace.enrich;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import org.bottrace.config.ConfigNode;
import org.bottrace.state.StateStore;
import org.junit.jupiter.api.Test;

/** Active lookups (off by default): cached, rate-limited, NXDOMAIN told apart from failure. */
class ActiveDnsTest {
  final List<String> asked = new ArrayList<>();
  long now;

  ActiveDns.Resolver zone = (name, type) -> {
    asked.add(type + " " + name);
    return switch (type + " " + name) {
      case "PTR 10.2.0.192.in-addr.arpa" -> List.of("dsl-10.dyn.example.net.");
      case "A dsl-10.dyn.example.net" -> List.of("192.0.2.10");
      case "PTR 20.2.0.192.in-addr.arpa" -> throw new NameNotFoundException("NXDOMAIN");
      case "PTR 30.2.0.192.in-addr.arpa" -> List.of("mail.example.com.");
      case "A mail.example.com" -> List.of("198.51.100.1");
      default -> throw new NamingException("timed out");
    };
  };

  @Test
  void cachedAndRateLimited() {
    ActiveDns d = new ActiveDns(zone, 1, Duration.ofHours(1), () -> now);
    assertEquals(List.of("dsl-10.dyn.example.net"), d.ptr("192.0.2.10").values());
    assertNull(d.ptr("192.0.2.20"), "over 1 lookup a second: not asked");
    assertEquals(List.of("dsl-10.dyn.example.net"), d.ptr("192.0.2.10").values(), "from the cache");
    now += 1_000_000_000L;
    assertEquals("nxdomain", d.ptr("192.0.2.20").state());
    now += 1_000_000_000L;
    assertEquals("unknown", d.ptr("192.0.2.99").state(), "a failure is not 'no PTR'");
    assertEquals(List.of("PTR 10.2.0.192.in-addr.arpa", "PTR 20.2.0.192.in-addr.arpa", "PTR 99.2.0.192.in-addr.arpa"),
        asked);
  }

  @Test
  void theEnricherUsesThemWhenTheLogsShowedNoPtr() throws Exception {
    Enricher e = Enricher.create(ConfigNode.empty("test", "enrichment"), new StateStore(1000), null, 0);
    e.active = new ActiveDns(zone, 100, Duration.ofHours(1), () -> now);
    Map<String, Object> a = e.describe("192.0.2.10", "cc", null);
    assertEquals("active", a.get("ptr_source"));
    assertEquals(true, a.get("forward_confirmed"));
    assertEquals("end_user", a.get("class"));
    Map<String, Object> b = e.describe("192.0.2.20", "cc", null);
    assertEquals(0, ((Map<?, ?>) b.get("s25r")).get("rule"), "NXDOMAIN: rule 0");
    Map<String, Object> c = e.describe("192.0.2.30", "cc", null);
    assertEquals(false, c.get("forward_confirmed"), "mail.example.com does not lead back");
    assertEquals(0, ((Map<?, ?>) c.get("s25r")).get("rule"), "rule 0: the PTR does not resolve back");
  }
}
