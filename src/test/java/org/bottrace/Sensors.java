package org.bottrace;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The real sensors the tests run: Zeek (from ../shared/tools/zeek, installed under /opt/zeek by .ci/run)
 * and Suricata (Debian's bookworm-backports). A test whose sensor is missing is skipped with a message on
 * stderr; under CI=true it fails, since CI installs both.
 */
public final class Sensors {
  private Sensors() {}

  /** Zeek's binary: $ZEEK, zeek on PATH, or /opt/zeek/bin/zeek. */
  public static String zeek() {
    String env = System.getenv("ZEEK");
    if (env != null && Files.isExecutable(Path.of(env))) {
      return env;
    }
    String p = onPath("zeek");
    if (p == null && Files.isExecutable(Path.of("/opt/zeek/bin/zeek"))) {
      p = "/opt/zeek/bin/zeek";
    }
    return require(p, "Zeek is not installed (unpack ../shared/tools/zeek as its README says, into /opt/zeek)");
  }

  /** Suricata's binary on PATH. */
  public static String suricata() {
    return require(onPath("suricata"),
        "Suricata is not installed (Debian: apt-get install -t bookworm-backports suricata)");
  }

  private static String onPath(String name) {
    for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!p.isEmpty() && Files.isExecutable(Path.of(p, name))) {
        return Path.of(p, name).toString();
      }
    }
    return null;
  }

  private static String require(String binary, String why) {
    if (binary != null) {
      return binary;
    }
    String msg = why + ": the tests that run it are skipped";
    if ("true".equals(System.getenv("CI"))) {
      fail(msg + ", and CI=true requires them");
    }
    System.err.println("SKIPPED: " + msg);
    Assumptions.abort(msg);
    return null;
  }
}
