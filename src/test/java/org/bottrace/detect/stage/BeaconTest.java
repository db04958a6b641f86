package org.bottrace.detect.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.ZeekLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Six hours of a small site's conn.log with one bot checking in with its C&amp;C over HTTP, and the
 * look-alikes a beacon detector must leave alone: NTP, a telemetry service every host calls, a person
 * browsing, a monitoring system polling inside, an hourly update check.
 */
class BeaconTest {
  @TempDir
  Path dir;

  static final double T0 = 1_795_300_000;

  Path site() throws Exception {
    ZeekLog conn = ZeekLog.conn();
    Random rnd = new Random(7);
    int n = 0;
    // the bot: every 300 s with up to 20 s of jitter, requests of 310 +- 5 bytes
    for (double t = T0; t < T0 + 6 * 3600; t += 300 + (rnd.nextDouble() * 40 - 20)) {
      conn.conn(t, "CB" + n++, "192.168.9.20", 40000 + n % 20000, "203.0.113.50", 8080, "tcp", "http", 0.4,
          305 + rnd.nextInt(11), 120, "SF", "ShADadFf");
    }
    // NTP: every 1024 s, 48 bytes each way, recognised by Zeek as ntp
    for (double t = T0 + 7; t < T0 + 6 * 3600; t += 1024) {
      conn.conn(t, "CN" + n++, "192.168.9.21", 123, "198.51.100.123", 123, "udp", "ntp", 0.05, 48, 48, "SF", "Dd");
    }
    // telemetry: twelve hosts, every 600 s, 500 bytes: the site's infrastructure
    for (int h = 0; h < 12; h++) {
      for (double t = T0 + h * 13; t < T0 + 6 * 3600; t += 600 + rnd.nextDouble() * 4) {
        conn.conn(t, "CT" + n++, "192.168.9." + (30 + h), 41000 + n % 20000, "203.0.113.80", 443, "tcp", "ssl", 0.9,
            500, 4000, "SF", "ShADadFf");
      }
    }
    // a person browsing: irregular times and sizes
    double t = T0;
    while (t < T0 + 6 * 3600) {
      t += -Math.log(1 - rnd.nextDouble()) * 240;
      conn.conn(t, "CP" + n++, "192.168.9.22", 42000 + n % 20000, "203.0.113.90", 443, "tcp", "ssl", 3,
          200 + rnd.nextInt(5000), 10000 + rnd.nextInt(90000), "SF", "ShADadFf");
    }
    // a monitoring system polling a switch inside every 60 s
    for (double s = T0; s < T0 + 6 * 3600; s += 60) {
      conn.conn(s, "CM" + n++, "192.168.9.23", 43000 + n % 20000, "192.168.9.1", 161, "udp", "snmp", 0.01, 60, 200,
          "SF", "Dd");
    }
    // an hourly update check: regular, but six calls are no beacon evidence
    for (int i = 0; i < 6; i++) {
      conn.conn(T0 + i * 3600, "CU" + n++, "192.168.9.24", 44000 + i, "203.0.113.99", 443, "tcp", "ssl", 1, 700, 2000,
          "SF", "ShADadFf");
    }
    return conn.write(dir.resolve("zeek")).getParent();
  }

  @Test
  void theBotsCheckIns_areABeacon_theLookAlikesAreNot() throws Exception {
    Path z = site();
    java.nio.file.Path cfg = java.nio.file.Files.writeString(dir.resolve("c.yaml"), "home_networks: [192.168.9.0/24]\n");
    Run r = Run.of("replay", "--config", cfg.toString(), z.toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> b = Notices.of(Notices.parse(r.out()), "C2::Beacon");
    assertEquals(List.of("192.168.9.20 203.0.113.50:8080"), b.stream().map(x -> x.get("src").asText() + " "
        + x.get("sub").asText()).toList(), r.out());
    JsonNode ev = b.get(0).get("evidence");
    assertTrue(ev.get("interval_median_s").asDouble() > 290 && ev.get("interval_median_s").asDouble() < 310, ev.toString());
    assertTrue(ev.get("score").asDouble() >= 0.8, ev.toString());
    assertEquals(1, ev.get("site_hosts_calling").asInt());
    assertEquals("cc", Notices.server(b.get(0), "203.0.113.50").get("role").asText(),
        "its server goes through the traceback enrichment as a C&C");
  }

  /**
   * A C&amp;C behind a name whose addresses rotate (a short TTL, four addresses in turn): by address no pair
   * has enough check-ins; by the name the host resolved before each, it is one beacon with its addresses.
   */
  @Test
  void aNameWithRotatingAddresses_isOneBeacon() throws Exception {
    ZeekLog conn = ZeekLog.conn();
    ZeekLog dns = new ZeekLog("dns", "ts", "time", "uid", "string", "id.orig_h", "addr", "id.orig_p", "port",
        "id.resp_h", "addr", "id.resp_p", "port", "proto", "enum", "trans_id", "count", "query", "string",
        "qtype_name", "string", "rcode_name", "string", "answers", "vector[string]", "TTLs", "vector[interval]");
    Random rnd = new Random(11);
    int n = 0;
    for (double t = T0; t < T0 + 6 * 3600; t += 300 + (rnd.nextDouble() * 40 - 20)) {
      String ip = "203.0.113." + (60 + n % 4);
      dns.row(String.format(java.util.Locale.ROOT, "%.6f", t - 0.05), "CD" + n, "192.168.9.20", 50000 + n, "192.168.9.1",
          53, "udp", 4000 + n, "upd.c2-rotate.example", "A", "NOERROR", ip, "60.000000");
      conn.conn(t, "CR" + n++, "192.168.9.20", 40000 + n % 20000, ip, 443, "tcp", "ssl", 0.4, 305 + rnd.nextInt(11),
          120, "SF", "ShADadFf");
    }
    Path z = conn.write(dir.resolve("zeek"));
    dns.write(dir.resolve("zeek"));
    java.nio.file.Path cfg = java.nio.file.Files.writeString(dir.resolve("c.yaml"), "home_networks: [192.168.9.0/24]\n");
    Run r = Run.of("replay", "--config", cfg.toString(), z.getParent().toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> b = Notices.of(Notices.parse(r.out()), "C2::Beacon");
    assertEquals(1, b.size(), r.out());
    JsonNode ev = b.get(0).get("evidence");
    assertEquals("upd.c2-rotate.example:443", b.get(0).get("sub").asText());
    assertEquals("upd.c2-rotate.example", ev.get("name").asText());
    assertEquals(4, ev.get("addresses").size(), ev.toString());
    assertTrue(ev.get("connections").asInt() >= 70, ev.toString());
    assertTrue(b.get(0).get("msg").asText().contains("upd.c2-rotate.example (4 addresses):443"), b.get(0).toString());
  }

  @Test
  void regularity_isRelativeToTheSeriesOwnScale() {
    double[] exact = new double[50];
    java.util.Arrays.fill(exact, 300);
    assertEquals(1.0, Beacon.regularity(exact, 0.3)[0], 1e-9);
    double[] jitter = new double[50];
    double[] small = new double[50];
    Random rnd = new Random(1);
    for (int i = 0; i < 50; i++) {
      double x = rnd.nextDouble() * 2 - 1;
      jitter[i] = 300 + 30 * x;
      small[i] = 60 + 6 * x;
    }
    assertEquals(Beacon.regularity(jitter, 0.3)[0], Beacon.regularity(small, 0.3)[0], 1e-9,
        "a 5-minute beacon with 30 s of jitter scores as a 60-second one with 6 s");
    double[] random = new double[200];
    for (int i = 0; i < 200; i++) {
      random[i] = -Math.log(1 - rnd.nextDouble()) * 240;
    }
    assertTrue(Beacon.regularity(random, 0.3)[0] < 0.6, "exponential gaps are no beacon");
  }

  /** The bot's check-ins as Suricata wrote them: flow events (bytes count headers, so sizes differ). */
  Path eve() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
    java.time.format.DateTimeFormatter iso = java.time.format.DateTimeFormatter
        .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS+0000", java.util.Locale.ROOT).withZone(java.time.ZoneOffset.UTC);
    Random rnd = new Random(7);
    List<String> lines = new java.util.ArrayList<>();
    int n = 0;
    for (double t = T0; t < T0 + 6 * 3600; t += 300 + (rnd.nextDouble() * 40 - 20)) {
      int bytes = 305 + rnd.nextInt(11);
      n++;
      com.fasterxml.jackson.databind.node.ObjectNode o = m.createObjectNode();
      String start = iso.format(java.time.Instant.ofEpochSecond((long) t, Math.round((t - (long) t) * 1e9)));
      String end = iso.format(java.time.Instant.ofEpochSecond((long) t + 1, Math.round((t - (long) t) * 1e9)));
      o.put("timestamp", end).put("flow_id", 7_000_000 + n).put("event_type", "flow").put("src_ip", "192.168.9.20")
          .put("src_port", 40000 + n % 20000).put("dest_ip", "203.0.113.50").put("dest_port", 8080).put("proto", "TCP")
          .put("app_proto", "http");
      o.putObject("flow").put("pkts_toserver", 4).put("pkts_toclient", 3).put("bytes_toserver", bytes + 280)
          .put("bytes_toclient", 400).put("start", start).put("end", end).put("state", "closed").put("reason", "timeout");
      lines.add(m.writeValueAsString(o));
    }
    return java.nio.file.Files.write(dir.resolve("eve.json"), lines);
  }

  @Test
  void suricataAlone_andBothSensors_giveTheBeaconOnceWithItsConnectionsCountedOnce() throws Exception {
    Path cfg = java.nio.file.Files.writeString(dir.resolve("c.yaml"), "home_networks: [192.168.9.0/24]\n");
    Run eveOnly = Run.of("replay", "--config", cfg.toString(), eve().toString());
    assertEquals(0, eveOnly.code(), eveOnly.err());
    List<JsonNode> e = Notices.of(Notices.parse(eveOnly.out()), "C2::Beacon");
    assertEquals(1, e.size(), eveOnly.out());
    int connections = e.get(0).get("evidence").get("connections").asInt();
    Run both = Run.of("replay", "--config", cfg.toString(), site().toString(), eve().toString());
    assertEquals(0, both.code(), both.err());
    List<JsonNode> b = Notices.of(Notices.parse(both.out()), "C2::Beacon");
    assertEquals(1, b.size(), both.out());
    assertEquals(connections, b.get(0).get("evidence").get("connections").asInt(), "one connection, two sensors");
  }
}
