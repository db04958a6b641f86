package org.bottrace;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.bottrace.cli.Cli;

/**
 * Runs the bottrace command line as a user would, through the same factory as main, and keeps what it
 * printed.
 *
 * @param code exit code
 * @param out what went to stdout
 * @param err what went to stderr
 */
public record Run(int code, String out, String err) {

  public static Run of(String... args) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    PrintStream oldOut = System.out;
    PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
    System.setOut(po); // notices to stdout go through System.out
    int code;
    try {
      code = Cli.commandLine(po, new PrintStream(e, true, StandardCharsets.UTF_8)).execute(args);
    } finally {
      System.setOut(oldOut);
    }
    String out = o.toString(StandardCharsets.UTF_8);
    NoticeSchema.check(out);
    return new Run(code, out, e.toString(StandardCharsets.UTF_8));
  }

  /**
   * Runs the packaged jar ({@code target/bottrace.jar}) in its own JVM with {@code jvm} options (e.g.
   * -Xmx512m): exit codes, System.exit and what the process prints, as a user's shell sees them.
   */
  public static Run jar(java.util.List<String> jvm, String... args) throws Exception {
    java.util.List<String> cmd = new java.util.ArrayList<>();
    cmd.add(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(jvm);
    cmd.addAll(java.util.List.of("-jar", "target/bottrace.jar"));
    cmd.addAll(java.util.List.of(args));
    java.nio.file.Path out = java.nio.file.Files.createTempFile("bottrace-out", ".txt");
    java.nio.file.Path err = java.nio.file.Files.createTempFile("bottrace-err", ".txt");
    try {
      Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
        p.destroyForcibly();
        throw new AssertionError("bottrace " + String.join(" ", args) + " did not finish in 10 minutes");
      }
      return new Run(p.exitValue(), java.nio.file.Files.readString(out), java.nio.file.Files.readString(err));
    } finally {
      java.nio.file.Files.deleteIfExists(out);
      java.nio.file.Files.deleteIfExists(err);
    }
  }
}
