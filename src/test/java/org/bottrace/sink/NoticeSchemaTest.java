package org.bottrace.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.bottrace.NoticeSchema;
import org.bottrace.Notices;
import org.bottrace.Run;
import org.bottrace.TestFiles;
import org.junit.jupiter.api.Test;

/**
 * The published schema (src/main/resources/notice.schema.json) holds the shipped example's notices and
 * rejects what an index could not map; Run.of checks it on every notice every test prints.
 */
class NoticeSchemaTest {
  static final ObjectMapper M = new ObjectMapper();

  @Test
  void theExamplesNotices_fitTheSchema_andAWrongTypeOrADataKeyDoesNot() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("examples/expected/notices.json"));
    assertTrue(lines.size() > 10);
    NoticeSchema.check(String.join("\n", lines));
    ObjectNode n = (ObjectNode) M.readTree(lines.get(0));
    ObjectNode wrong = n.deepCopy();
    ((ObjectNode) wrong.get("evidence")).put("list", 7);
    assertThrows(AssertionError.class, () -> NoticeSchema.check(M.writeValueAsString(wrong)), "a number where a string is");
    ObjectNode data = n.deepCopy();
    ((ObjectNode) data.get("evidence")).put("127.0.0.1", "x");
    assertThrows(AssertionError.class, () -> NoticeSchema.check(M.writeValueAsString(data)), "an address as a field name");
    ObjectNode dotted = n.deepCopy();
    dotted.put("id.orig_h", "127.0.0.1");
    assertThrows(AssertionError.class, () -> NoticeSchema.check(M.writeValueAsString(dotted)), "id as a value and a prefix");
  }

  /** The schema's stages and actors are the findings' own, and a bot's notice says so. */
  @Test
  void stagesAndActors_areTheFindings() throws Exception {
    JsonNode schema = M.readTree(Path.of("src/main/resources/notice.schema.json").toFile());
    List<String> stages = new java.util.ArrayList<>();
    schema.at("/properties/stage/enum").forEach(x -> stages.add(x.asText()));
    assertEquals(java.util.Arrays.stream(org.bottrace.finding.Finding.Stage.values())
        .map(org.bottrace.finding.Finding.Stage::label).toList(), stages);
    List<String> actors = new java.util.ArrayList<>();
    schema.at("/properties/actor/enum").forEach(x -> actors.add(x.asText()));
    assertEquals(java.util.Arrays.stream(org.bottrace.finding.Finding.Actor.values())
        .map(org.bottrace.finding.Finding.Actor::label).toList(), actors);
    Set<String> botNotes = new java.util.TreeSet<>();
    for (String line : Files.readAllLines(Path.of("examples/expected/notices.json"))) {
      JsonNode n = M.readTree(line);
      if ("bot".equals(n.path("actor").asText())) {
        botNotes.add(n.get("note").asText() + "/" + n.path("stage").asText("-"));
      }
    }
    assertTrue(botNotes.contains("IRC::BotClient/cc_contact"), botNotes.toString());
  }

  /**
   * bottrace_devsim's notices: every id unique, every update of a verdict under its subject, the same ids
   * on a second run.
   */
  @Test
  void devsim_uniqueIds_stableSubjects_sameIdsOnASecondRun() {
    String[] args = {"replay", "-q", TestFiles.data("devsim/zeek-package").toString(),
        TestFiles.data("devsim/suricata").toString()};
    Run a = Run.of(args);
    Run b = Run.of(args);
    assertEquals(0, a.code(), a.err());
    List<JsonNode> notices = Notices.parse(a.out());
    assertTrue(notices.size() > 40, a.out());
    Set<String> ids = new HashSet<>();
    Set<String> subjects = new HashSet<>();
    for (JsonNode n : notices) {
      assertTrue(ids.add(n.get("id").asText()), "a second notice with id " + n.get("id"));
      subjects.add(n.get("subject").asText());
    }
    assertTrue(subjects.size() < notices.size(), "updates of one verdict share their subject");
    assertEquals(a.out(), b.out());
  }
}
