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
  /**
   * The heap ran out: it is too small for the state bounds configured (state.max_entries and the
   * detectors' own). Not a crash loop systemd should retry blindly: the message says what to change.
   */
  public static final int OUT_OF_MEMORY = 5;

  private ExitCode() {}
}
