package org.bottrace.pipeline;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.bottrace.config.ConfigException;

/** Turns the paths a user gives (files, folders, globs) into the list of files to read. */
public final class Inputs {
  private Inputs() {}

  /**
   * Expands each argument: a file is taken as it is; a folder gives every log file below it (names
   * containing ".log" or ".json", hidden files skipped), sorted by path; a path whose last part holds
   * glob characters (* ? [ {) gives the matching files of its folder, sorted.
   *
   * @throws ConfigException (reported as bad input, exit 2) when an argument matches nothing
   */
  public static List<Path> expand(List<String> args) throws ConfigException {
    List<Path> out = new ArrayList<>();
    for (String a : args) {
      Path p = Path.of(a);
      if (Files.isRegularFile(p)) {
        out.add(p);
      } else if (Files.isDirectory(p)) {
        List<Path> found = folder(p);
        if (found.isEmpty()) {
          throw new ConfigException("command line", "", a + ": folder holds no log files (*.log*, *.json*)");
        }
        out.addAll(found);
      } else if (hasGlob(p.getFileName() == null ? "" : p.getFileName().toString())) {
        List<Path> found = glob(p);
        if (found.isEmpty()) {
          throw new ConfigException("command line", "", a + ": no file matches");
        }
        out.addAll(found);
      } else {
        throw new ConfigException("command line", "", a + ": no such file or folder");
      }
    }
    return out;
  }

  private static boolean hasGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
  }

  static boolean looksLikeLog(Path p) {
    String n = p.getFileName().toString();
    return !n.startsWith(".") && (n.contains(".log") || n.contains(".json"));
  }

  private static List<Path> folder(Path dir) throws ConfigException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(Inputs::looksLikeLog)
          .filter(p -> !hiddenBelow(dir, p)).sorted().toList();
    } catch (IOException e) {
      throw new ConfigException("command line", "", dir + ": cannot list folder: " + e.getMessage());
    }
  }

  private static boolean hiddenBelow(Path root, Path p) {
    for (Path part : root.relativize(p)) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static List<Path> glob(Path p) throws ConfigException {
    Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + p.getFileName());
    List<Path> out = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path f : ds) {
        if (Files.isRegularFile(f) && m.matches(f.getFileName())) {
          out.add(f);
        }
      }
    } catch (IOException e) {
      throw new ConfigException("command line", "", p + ": cannot list " + dir + ": " + e.getMessage());
    }
    out.sort(null);
    return out;
  }
}
