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
    return new Run(code, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
  }
}
