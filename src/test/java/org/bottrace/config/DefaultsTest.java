package org.bottrace.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.bottrace.Run;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One source of defaults: every value src/main/resources/reference.yaml states for a key is the default the
 * code gives that key (recorded while `check` builds everything from an empty configuration).
 */
class DefaultsTest {
  @Test
  void referenceYaml_statesTheCodesDefaults(@TempDir Path dir) throws Exception {
    Map<String, Object> defaults = new TreeMap<>();
    Path empty = Files.writeString(dir.resolve("empty.yaml"), "{}\n");
    ConfigNode.recordDefaults(defaults);
    try {
      Run r = Run.of("check", "--config", empty.toString());
      assertEquals(0, r.code(), r.err());
    } finally {
      ConfigNode.recordDefaults(null);
    }
    assertTrue(defaults.size() > 100, "keys recorded: " + defaults.size());
    JsonNode ref = new ObjectMapper(new YAMLFactory()).readTree(Path.of("src/main/resources/reference.yaml").toFile());
    Map<String, JsonNode> stated = new TreeMap<>();
    leaves(ref, "", stated);
    List<String> differ = new ArrayList<>();
    int compared = 0;
    for (Map.Entry<String, JsonNode> e : stated.entrySet()) {
      if (!defaults.containsKey(e.getKey())) {
        continue;
      }
      compared++;
      Object code = defaults.get(e.getKey());
      if (!same(code, e.getValue())) {
        differ.add(e.getKey() + ": reference.yaml says " + e.getValue() + ", the code " + code);
      }
    }
    assertTrue(compared > 100, "keys compared: " + compared);
    assertEquals(List.of(), differ);
  }

  /** Scalar and list leaves by dotted path (lists of sections are examples, not defaults: skipped). */
  static void leaves(JsonNode n, String path, Map<String, JsonNode> out) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> e = it.next();
        leaves(e.getValue(), path.isEmpty() ? e.getKey() : path + "." + e.getKey(), out);
      }
    } else if (!n.isArray() || n.isEmpty() || n.get(0).isValueNode()) {
      out.put(path, n);
    }
  }

  static boolean same(Object code, JsonNode yaml) {
    if (code == null) {
      return yaml.isNull() || yaml.isArray() && yaml.isEmpty();
    }
    if (code instanceof Duration d) {
      Duration y = yaml.isNumber() ? Duration.ofSeconds(yaml.asLong()) : ConfigNode.parseDuration(yaml.asText());
      return d.equals(y);
    }
    if (code instanceof Number x) {
      return yaml.isNumber() && Math.abs(x.doubleValue() - yaml.asDouble()) < 1e-9;
    }
    if (code instanceof Boolean b) {
      return yaml.isBoolean() && b == yaml.asBoolean();
    }
    if (code instanceof List<?> l) {
      List<String> y = new ArrayList<>();
      if (yaml.isArray()) {
        yaml.forEach(x -> y.add(x.asText()));
      } else if (!yaml.isNull()) {
        y.add(yaml.asText());
      }
      List<String> c = new ArrayList<>();
      l.forEach(x -> c.add(String.valueOf(x)));
      return c.equals(y);
    }
    return String.valueOf(code).equals(yaml.asText());
  }
}
