package org.bottrace.detect.stage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.junit.jupiter.api.Test;

/**
 * Host::Summary on bottrace_devsim: one subject per host, its last summary naming every role and note,
 * the bots as bots, the herder as herder, the C&C server as cc; no person is summarised.
 */
class HostSummaryTest {
  static Set<String> labelled(String role) throws Exception {
    return TestFiles.labelled("devsim/labels.json", role);
  }

  @Test
  void devsim_oneSubjectPerHost_rolesAndNotes() throws Exception {
    Run r = Run.of("replay", "-q", TestFiles.data("devsim/zeek-package").toString(),
        TestFiles.data("devsim/suricata").toString());
    assertEquals(0, r.code(), r.err());
    List<JsonNode> all = Notices.parse(r.out());
    Map<String, JsonNode> last = new TreeMap<>();
    Map<String, Set<String>> subjects = new TreeMap<>();
    for (JsonNode n : Notices.of(all, "Host::Summary")) {
      last.put(n.get("src").asText(), n);
      subjects.computeIfAbsent(n.get("src").asText(), k -> new TreeSet<>()).add(n.get("subject").asText());
    }
    assertTrue(subjects.values().stream().allMatch(s -> s.size() == 1), "one subject per host: " + subjects);
    Map<String, String> roles = new TreeMap<>();
    last.forEach((ip, n) -> roles.put(ip, String.join(",", Notices.strings(n.get("evidence").get("roles")))));
    for (String bot : labelled("bot")) {
      assertEquals("bot", roles.get(bot), bot + ": " + roles);
    }
    for (String herder : labelled("herder")) {
      assertEquals("herder", roles.get(herder), roles.toString());
    }
    assertEquals("cc", roles.get("85.17.184.21"), roles.toString());
    for (String person : labelled("person")) {
      assertTrue(!last.containsKey(person), "a person summarised: " + last.get(person));
    }
    // a bot that also downloaded: both notes, the surest confidence of them together
    JsonNode d = last.get("182.148.20.66");
    Set<String> notes = new TreeSet<>();
    d.get("evidence").get("notes").forEach(x -> notes.add(x.get("note").asText()));
    assertTrue(notes.containsAll(Set.of("IRC::BotClient", "Bot::Download")), d.toString());
    assertTrue(d.get("confidence").asDouble() >= 0.9, d.toString());
    assertEquals("high", d.get("severity").asText());
  }
}
