package org.bottrace.cli;

/** Exit codes of every bottrace command. */
public final class ExitCode {
  /** Done; every input read. */
  public static final int OK = 0;
  /** Done, but some input file could not be read to its end (each is reported). */
  public static final int INPUT_UNREADABLE = 1;
  /** Bad configuration or command line: the message names the file, key and problem. */
  public static final int INVALID = 2;
  /** Output could not be written. */
  public static final int OUTPUT_FAILED = 3;
  /** A bug: bottrace failed where it should not have. */
  public static final int INTERNAL = 4;

  private ExitCode() {}
}
