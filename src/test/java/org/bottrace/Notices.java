package org.bottrace;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Parses JSON-lines notices as a SIEM would. */
public final class Notices {
  private static final ObjectMapper M = new ObjectMapper();

  private Notices() {}

  public static List<JsonNode> parse(String jsonLines) {
    List<JsonNode> out = new ArrayList<>();
    for (String l : jsonLines.split("\n")) {
      if (!l.isEmpty()) {
        try {
          out.add(M.readTree(l));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new UncheckedIOException("not a JSON line: " + l, e);
        }
      }
    }
    return out;
  }

  public static List<JsonNode> of(List<JsonNode> notices, String note) {
    return notices.stream().filter(n -> n.get("note").asText().equals(note)).toList();
  }

  public static List<String> strings(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null) {
      array.forEach(x -> out.add(x.asText()));
    }
    return out;
  }

  /** The enrichment of server {@code ip} in a notice (enrichment.servers[] with that ip), or a missing node. */
  public static JsonNode server(JsonNode notice, String ip) {
    for (JsonNode s : notice.path("enrichment").path("servers")) {
      if (s.path("ip").asText().equals(ip)) {
        return s;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  /** In a list of {keyName, valueName} objects (evidence of data-keyed maps), the value for {@code key}. */
  public static JsonNode pair(JsonNode list, String keyName, String key, String valueName) {
    for (JsonNode x : list == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : list) {
      if (x.path(keyName).asText().equals(key)) {
        return x.path(valueName);
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }
}
