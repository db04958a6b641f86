package org.bottrace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The layers of the code: detectors and the enrichment know nothing of each other (what both use, the
 * lists, sets and findings, is in packages of its own), and nothing below them knows the pipeline, the
 * sinks, the report or the command line.
 */
class PackageDependenciesTest {
  private static final Pattern REF = Pattern.compile("\\borg\\.bottrace\\.([a-z]+)\\b");
  private static final Set<String> TOP = Set.of("pipeline", "sink", "cli", "report");
  private static final Map<String, Set<String>> FORBIDDEN = Map.of(
      "detect", union(TOP, Set.of("enrich")),
      "enrich", union(TOP, Set.of("detect")),
      "match", union(TOP, Set.of("detect", "enrich", "finding")),
      "finding", union(TOP, Set.of("detect", "enrich", "match", "feedback")),
      "feedback", union(TOP, Set.of("detect", "enrich")),
      "event", union(TOP, Set.of("detect", "enrich", "match", "finding")),
      "state", union(TOP, Set.of("detect", "enrich", "match", "finding")),
      "config", union(TOP, Set.of("detect", "enrich", "match", "finding", "state")),
      "source", union(TOP, Set.of("detect", "enrich", "match", "finding")));

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> u = new TreeSet<>(a);
    u.addAll(b);
    return u;
  }

  @Test
  void noPackageReachesAcrossItsLayer() throws IOException {
    Path root = Path.of("src/main/java/org/bottrace");
    Map<String, Set<String>> wrong = new TreeMap<>();
    int files = 0;
    List<Path> sources;
    try (Stream<Path> s = Files.walk(root)) {
      sources = s.filter(p -> p.toString().endsWith(".java")).toList();
    }
    for (Path p : sources) {
      String pkg = root.relativize(p).getName(0).toString();
      if (!FORBIDDEN.containsKey(pkg)) {
        continue;
      }
      files++;
      Matcher m = REF.matcher(Files.readString(p));
      while (m.find()) {
        if (FORBIDDEN.get(pkg).contains(m.group(1))) {
          wrong.computeIfAbsent(root.relativize(p).toString(), k -> new TreeSet<>()).add(m.group(1));
        }
      }
    }
    assertTrue(files > 50, "sources read: " + files);
    assertEquals(Map.of(), wrong, "files that refer to a package their layer must not know");
  }
}
