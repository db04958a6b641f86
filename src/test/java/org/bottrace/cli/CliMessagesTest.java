package org.bottrace.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bottrace.Run;
import org.junit.jupiter.api.Test;

/** What a newcomer reads first: the command list, the version, the help of each command. */
class CliMessagesTest {
  @Test
  void noCommand_namesEveryCommand_exit2() {
    Run r = Run.of();
    assertEquals(2, r.code());
    assertEquals("bottrace: a command is needed: replay, run, check, detectors, lists, report, feedback ('bottrace help"
        + " COMMAND' tells what each does)\nTry 'bottrace --help' for more.\n", r.err());
  }

  @Test
  void version_isThePomsVersion() throws Exception {
    Matcher m = Pattern.compile("<artifactId>bottrace</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(Files.readString(Path.of("pom.xml")));
    assertTrue(m.find());
    Run r = Run.of("--version");
    assertEquals(0, r.code(), r.err());
    assertEquals("bottrace " + m.group(1), r.out().lines().findFirst().orElse(""));
  }

  @Test
  void everyCommandsSummary_isOneWholeSentence() {
    Run r = Run.of("--help");
    assertEquals(0, r.code(), r.err());
    String list = r.out().substring(r.out().indexOf("Commands:"), r.out().indexOf("Examples:"));
    // one entry per command: its name, then its summary, wrapped over indented lines
    String[] entries = list.substring("Commands:".length()).strip().split("\n(?=  [a-z])");
    assertEquals(8, entries.length, list);
    for (String e : entries) {
      String summary = e.strip().replaceFirst("^[a-z]+\\s+", "").replaceAll("\\s+", " ");
      assertTrue(Character.isUpperCase(summary.charAt(0)) && summary.endsWith("."), "summary of " + e);
      assertEquals(1, summary.split("\\. ").length, "one sentence: " + summary);
    }
  }
}
