package org.bottrace.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Path;
import java.util.Iterator;
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
 * --format ecs: every field outside bottrace.* is an ECS 8.17 field with ECS's type (the definitions are
 * ECS's own generated ones, a subset copied into the tests), in the shipped example's documents; the
 * index template types them the same way; the Filebeat example reads the file as ndjson.
 */
class EcsNoticeSinkTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  static void leaves(JsonNode n, String path, Map<String, JsonNode> out) {
    if (n.isObject() && !path.equals("bottrace")) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        leaves(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
      }
    } else if (!path.equals("bottrace")) {
      out.put(path, n);
    }
  }

  static boolean fits(String type, JsonNode v) {
    return switch (type) {
      case "keyword", "match_only_text", "date" -> v.isTextual();
      case "ip" -> v.isTextual() && org.bottrace.event.Addresses.isAddress(v.asText());
      case "long" -> v.isIntegralNumber();
      case "float" -> v.isNumber();
      default -> false;
    };
  }

  @Test
  void examples_everyFieldIsEcsWithItsType() throws Exception {
    Run r = Run.of("replay", "-q", "--config", "examples/bottrace.yaml", "--format", "ecs", "examples/logs");
    assertEquals(0, r.code(), r.err());
    JsonNode ecs = YAML.readTree(TestFiles.data("ecs/ecs_flat-8.17.0-subset.yml").toFile());
    List<JsonNode> docs = Notices.parse(r.out());
    assertEquals(Notices.parse(Run.of("replay", "-q", "--config", "examples/bottrace.yaml", "examples/logs").out()).size(),
        docs.size(), "one document per notice");
    Set<String> used = new TreeSet<>();
    for (JsonNode d : docs) {
      Map<String, JsonNode> fields = new TreeMap<>();
      leaves(d, "", fields);
      for (Map.Entry<String, JsonNode> f : fields.entrySet()) {
        JsonNode def = ecs.get(f.getKey());
        assertTrue(def != null, "not an ECS field: " + f.getKey());
        used.add(f.getKey());
        boolean array = def.path("normalize").toString().contains("array");
        List<JsonNode> values = new java.util.ArrayList<>();
        if (f.getValue().isArray()) {
          assertTrue(array, f.getKey() + " is not an array in ECS");
          f.getValue().forEach(values::add);
        } else {
          values.add(f.getValue());
        }
        for (JsonNode v : values) {
          assertTrue(fits(def.get("type").asText(), v), f.getKey() + " (" + def.get("type").asText() + "): " + v);
          JsonNode allowed = def.has("allowed_values") ? def.get("allowed_values") : def.get("expected_values");
          if (allowed != null) {
            assertTrue(Notices.strings(allowed).contains(v.asText()), f.getKey() + " = " + v + " is not one of " + allowed);
          }
        }
      }
      assertEquals("alert".equals(d.at("/event/kind").asText()), !"informational".equals(d.at("/bottrace/severity").asText()));
      assertTrue(d.at("/bottrace/evidence").isObject(), d.toString());
    }
    assertTrue(used.containsAll(Set.of("event.risk_score", "rule.name", "source.ip", "destination.port",
        "network.community_id", "related.ip", "threat.indicator.ip", "observer.product")), used.toString());
    // the index template maps every ECS field the documents use, with ECS's type
    JsonNode tmpl = JSON.readTree(Path.of("examples/elastic/bottrace-index-template.json").toFile());
    for (String f : used) {
      JsonNode m = tmpl.at("/template/mappings/properties/" + f.replace(".", "/properties/"));
      assertEquals(ecs.get(f).get("type").asText(), m.path("type").asText(), "template mapping of " + f);
    }
    // Filebeat reads the file as ndjson into the event's top level
    JsonNode fb = YAML.readTree(Path.of("examples/filebeat/filebeat.yml").toFile());
    JsonNode input = fb.get("filebeat.inputs").get(0);
    assertEquals("filestream", input.get("type").asText());
    assertEquals("", input.get("parsers").get(0).get("ndjson").get("target").asText());
  }

  @Test
  void riskScore_inElasticsBandsBySeverity() {
    assertEquals(0.0, EcsNoticeSink.riskScore(org.bottrace.finding.Finding.Severity.INFORMATIONAL, 1));
    assertEquals(21.0, EcsNoticeSink.riskScore(org.bottrace.finding.Finding.Severity.LOW, 1));
    assertEquals(34.5, EcsNoticeSink.riskScore(org.bottrace.finding.Finding.Severity.MEDIUM, 0.5));
    assertEquals(66.8, EcsNoticeSink.riskScore(org.bottrace.finding.Finding.Severity.HIGH, 0.75));
    assertEquals(100.0, EcsNoticeSink.riskScore(org.bottrace.finding.Finding.Severity.CRITICAL, 1));
  }
}
