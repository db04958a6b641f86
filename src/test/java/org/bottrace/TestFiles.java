package org.bottrace;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Paths of test resources. */
public final class TestFiles {
  private TestFiles() {}

  /** A file or folder under src/test/resources. */
  public static Path resource(String name) {
    URL u = TestFiles.class.getClassLoader().getResource(name);
    if (u == null) {
      throw new IllegalArgumentException("no test resource " + name);
    }
    try {
      return Path.of(u.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A file under src/test/resources/data. */
  public static Path data(String name) {
    return resource("data/" + name);
  }

  /** The addresses of the hosts of a role in a labels.json of the test data ("devsim/labels.json"). */
  public static java.util.Set<String> labelled(String labels, String role) throws java.io.IOException {
    com.fasterxml.jackson.databind.JsonNode l = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
        data(labels).toFile());
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (com.fasterxml.jackson.databind.JsonNode h : l.get("hosts")) {
      if (h.get("role").asText().equals(role)) {
        out.add(h.get("ip").asText());
      }
    }
    return out;
  }
}
