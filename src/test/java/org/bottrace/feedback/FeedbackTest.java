package org.bottrace.feedback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bottrace.Run;
import org.bottrace.config.ConfigNode;
import org.bottrace.finding.Finding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The feedback's life cycle (renewed, expired, withdrawn, dropped), across a restart, and its hostile input. */
class FeedbackTest {
  static final long HOUR = 3_600_000_000L;
  static final long T0 = 1_796_000_000_000_000L;

  @TempDir
  Path dir;

  private final List<String> warnings = new ArrayList<>();

  private Feedback feedback(String expire, String keep) throws Exception {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("expire", expire);
    n.put("keep_removed", keep);
    return Feedback.create(new ConfigNode("test.yaml", dir, "feedback", n), dir.resolve("fb"), warnings::add, false);
  }

  static Finding cc(long ts, String server, String... names) {
    Finding.Builder b = Finding.builder("IRC::CCServer", ts).rated(Finding.Severity.HIGH, 0.9).msg("C&C " + server)
        .key(server).dst(server).server(server, Finding.Role.CC);
    return b.build();
  }

  private String intel() throws Exception {
    return Files.readString(dir.resolve("fb/bottrace.intel"));
  }

  @Test
  void anEntryIsRenewed_thenExpires_isRemovedInZeek_thenDropped() throws Exception {
    Feedback f = feedback("2h", "1h");
    f.offer(cc(T0, "198.51.100.7"));
    f.tick(T0 + HOUR);
    f.offer(cc(T0 + HOUR, "198.51.100.7")); // renewed
    f.flush();
    assertTrue(intel().contains("198.51.100.7\tIntel::ADDR\tbottrace\tbottrace cc (IRC::CCServer)\t-\tT\tF\n"), intel());
    f.tick(T0 + 3 * HOUR - 1); // 2 h after the renewal, not yet
    f.flush();
    assertEquals("198.51.100.7\n", Files.readString(dir.resolve("fb/bottrace-cc-ip.lst")));
    f.tick(T0 + 3 * HOUR + 1);
    f.flush();
    assertTrue(intel().contains("198.51.100.7\tIntel::ADDR\tbottrace\tbottrace cc (IRC::CCServer)\t-\tT\tT\n"), intel());
    assertEquals("", Files.readString(dir.resolve("fb/bottrace-cc-ip.lst")), "Suricata's sets drop it at once");
    assertEquals("", Files.readString(dir.resolve("fb/bottrace-iprep.list")));
    f.tick(T0 + 4 * HOUR + 2);
    f.flush();
    assertEquals("#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\tmeta.do_notice\tmeta.remove\n",
        intel(), "an hour after it was removed, the entry is gone");
  }

  @Test
  void aRestart_keepsTheEntries_andTheirTimes() throws Exception {
    Feedback f = feedback("2h", "1h");
    f.offer(cc(T0, "198.51.100.7"));
    f.flush();
    String before = intel();
    Feedback again = feedback("2h", "1h");
    again.flush();
    assertEquals(before, intel());
    again.tick(T0 + 2 * HOUR + 1);
    again.flush();
    assertTrue(intel().contains("\tT\tT\n"), "expired by the time the first run saw: " + intel());
    assertEquals(List.of(), warnings);
  }

  @Test
  void aWithdrawal_isWrittenBeforeTheEntryIsDropped_andARenewalSurvivesARestart() throws Exception {
    Feedback f = feedback("7d", "1h");
    f.offer(cc(T0, "198.51.100.7"));
    f.offer(cc(T0 + 50 * HOUR, "198.51.100.7")); // renewed two days later
    f.flush();
    // a restart: the renewal was kept, the entry is live 3 days after its first sighting
    Feedback again = feedback("7d", "1h");
    again.tick(T0 + 8 * 24 * HOUR);
    again.flush();
    assertTrue(intel().contains("198.51.100.7\tIntel::ADDR\tbottrace\tbottrace cc (IRC::CCServer)\t-\tT\tF\n"), intel());
    // allowlisted at the next start, logs resuming days later: Zeek is told (T) before it is dropped
    Feedback third = feedback("7d", "1h");
    third.withdraw(x -> x.equals("198.51.100.7"));
    third.tick(T0 + 20 * 24 * HOUR);
    third.flush();
    assertTrue(intel().contains("198.51.100.7\tIntel::ADDR\tbottrace\tbottrace cc (IRC::CCServer)\t-\tT\tT\n"), intel());
    third.tick(T0 + 20 * 24 * HOUR + 2 * HOUR);
    third.flush();
    assertEquals(1, intel().lines().count(), "an hour after Zeek was told, gone: " + intel());
  }

  @Test
  void hostileIndicators_areNotWritten() throws Exception {
    for (String bad : new String[] {"cc.example\tIntel::ADDR", "cc.example\n#fields\tx", "a b.example", "1.2.3.4",
        "-", "(empty)", "..", "example", "xn--\u00e9.example", "#fields.example", "a.-b.example"}) {
      assertNull(FeedbackFiles.valid(Feedback.Type.DOMAIN, bad), bad);
    }
    for (String bad : new String[] {"http://dl.example/a b.exe", "http://dl.example/x\t.exe", "file:///etc/passwd",
        "http://dl.example", "ftp://dl.example/x.exe", "http://dl.example/x\n#fields", "http://a\u00e9.example/x",
        "http://[::1/x", "http://dl.example/" + "a".repeat(1100)}) {
      assertNull(FeedbackFiles.valid(Feedback.Type.URL, bad), bad);
    }
    assertNull(FeedbackFiles.valid(Feedback.Type.ADDR, "0.0.0.0"));
    assertNull(FeedbackFiles.valid(Feedback.Type.ADDR, "127.0.0.1\t"));
    assertNull(FeedbackFiles.valid(Feedback.Type.ADDR, "1.2.3.4%x\ty\n#fields"));
    assertNull(FeedbackFiles.valid(Feedback.Type.ADDR, "fe80::1%eth0"));
    assertEquals("dl.example:8080/x.exe?a=1", FeedbackFiles.valid(Feedback.Type.URL, "http://DL.example:8080/x.exe?a=1"));
    assertEquals("[2001:db8::1]/x.exe", FeedbackFiles.valid(Feedback.Type.URL, "http://[2001:db8::1]/x.exe"));
    assertEquals("cc.example", FeedbackFiles.valid(Feedback.Type.DOMAIN, "CC.Example."));
    assertEquals("2001:db8::1", FeedbackFiles.valid(Feedback.Type.ADDR, "2001:0db8:0::1"));

    // a finding naming them writes nothing of them
    Feedback f = feedback("7d", "1d");
    f.offer(Finding.builder("Bot::Download", T0).rated(Finding.Severity.HIGH, 0.9).msg("x").key("k")
        .stage(Finding.Stage.DOWNLOAD).name("evil\tIntel::ADDR").url("http://dl.example/x\n#fields x")
        .server("not an address", Finding.Role.DOWNLOAD).build());
    f.flush();
    assertEquals(1, intel().lines().count(), intel());
  }

  @Test
  void aStateFileNotWrittenByBottrace_isSaidAndLeftOut() throws Exception {
    Files.createDirectories(dir.resolve("fb"));
    Files.writeString(dir.resolve("fb/bottrace-feedback.json"), "{\"version\":1,\"entries\":[{\"type\":\"ADDR\","
        + "\"indicator\":\"198.51.100.7\\t1\",\"roles\":[\"cc\"],\"last\":1},{\"type\":\"ADDR\",\"indicator\":"
        + "\"198.51.100.8\",\"roles\":[\"cc\"],\"notes\":[\"IRC::CCServer\",\"x\\ty\"],\"first\":1,\"last\":"
        + T0 + ",\"confidence\":0.9,\"removed\":-1}]}");
    Feedback f = feedback("7d", "1d");
    f.flush();
    assertEquals("#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\tmeta.do_notice\tmeta.remove\n"
        + "198.51.100.8\tIntel::ADDR\tbottrace\tbottrace cc (IRC::CCServer)\t-\tT\tF\n", intel());
    assertEquals(List.of(dir.resolve("fb/bottrace-feedback.json") + ": left out 1 entry that is not valid"), warnings);
  }

  @Test
  void badConfiguration_isExit2NamingTheKey() throws Exception {
    Path file = Files.writeString(dir.resolve("f"), "x");
    Path cfg = Files.writeString(dir.resolve("c.yaml"), "feedback:\n  dir: " + file + "\n");
    Run r = Run.of("check", "--config", cfg.toString());
    assertEquals(2, r.code());
    assertEquals("bottrace: " + cfg + ": key 'feedback.dir': " + file + " is a file, not a folder\n", r.err());
    Path cfg2 = Files.writeString(dir.resolve("c2.yaml"), "feedback:\n  min_severity: severe\n");
    Run r2 = Run.of("check", "--config", cfg2.toString());
    assertEquals(2, r2.code());
    assertEquals("bottrace: " + cfg2 + ": key 'feedback.min_severity': expected informational, low, medium, high or"
        + " critical, found 'severe'\n", r2.err());
  }
}
