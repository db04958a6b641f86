package org.bottrace.source;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.util.Locale;

/**
 * Why an I/O operation failed, in the words of the operating system and without the path (the message
 * that uses it names the path once): "permission denied", "no such file", "No space left on device".
 */
public final class IoCause {
  private IoCause() {}

  /** The cause of {@code e}, one line, attacker-chosen bytes escaped. */
  public static String of(IOException e) {
    String s;
    if (e instanceof AccessDeniedException) {
      s = "permission denied";
    } else if (e instanceof NoSuchFileException) {
      s = "no such file or folder";
    } else if (e instanceof NotDirectoryException) {
      s = "not a folder";
    } else if (e instanceof java.nio.file.FileAlreadyExistsException) {
      s = "already exists";
    } else if (e instanceof java.nio.file.DirectoryNotEmptyException) {
      s = "folder not empty";
    } else if (e instanceof FileSystemException f && f.getReason() != null) {
      s = f.getReason();
    } else if (e.getMessage() != null) {
      s = e.getMessage();
    } else {
      s = e.getClass().getSimpleName();
    }
    if (s.toLowerCase(Locale.ROOT).contains("is a directory")) {
      s = "is a folder";
    }
    return Printable.of(s.lines().findFirst().orElse(s));
  }
}
