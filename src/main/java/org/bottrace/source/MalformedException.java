package org.bottrace.source;

/** A line that cannot be read as a record of its log. The message says what is wrong with it. */
final class MalformedException extends Exception {
  MalformedException(String message) {
    super(message, null, false, false);
  }
}
