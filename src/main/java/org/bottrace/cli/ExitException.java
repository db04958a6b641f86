package org.bottrace.cli;

/** Ends a command with an exit code and a one-line message. */
public final class ExitException extends RuntimeException {
  private final int code;

  public ExitException(int code, String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public int code() {
    return code;
  }
}
