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
    return expand(args, skipped -> {});
  }

  /**
   * As {@link #expand(List)}; a file found in a folder that is no log bottrace reads (Suricata's fast.log,
   * stats.log and suricata.log, or any file whose first line is neither a Zeek header nor a JSON object) is
   * left out and said to {@code skipped} with the reason.
   */
  public static List<Path> expand(List<String> args, java.util.function.Consumer<String> skipped)
      throws ConfigException {
    List<Path> out = new ArrayList<>();
    for (String a : args) {
      Path p = Path.of(a);
      if (Files.isRegularFile(p)) {
        out.add(p);
      } else if (Files.isDirectory(p)) {
        List<Path> found = folder(p);
        List<Path> logs = new ArrayList<>();
        for (Path f : found) {
          String why = notALog(f);
          if (why == null) {
            logs.add(f);
          } else {
            skipped.accept(f + ": " + why);
          }
        }
        if (logs.isEmpty()) {
          throw new ConfigException("command line", "", a + ": folder holds no log files (*.log*, *.json*)"
              + (found.isEmpty() ? "" : " that bottrace reads: " + found.size() + " skipped"));
        }
        out.addAll(logs);
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

  /**
   * Why a file found in a folder is no log bottrace reads, or null when it is one (or is empty, or cannot be
   * read: the reader says so then). Suricata writes text logs beside eve.json; Zeek's and EVE's lines begin
   * with '#' (a TSV header) or '{'.
   */
  static String notALog(Path f) {
    String n = f.getFileName().toString();
    String base = n.replaceFirst("\\.gz$", "");
    String first;
    try (java.io.InputStream raw = Files.newInputStream(f);
        java.io.InputStream in = n.endsWith(".gz") ? new java.util.zip.GZIPInputStream(raw) : raw) {
      byte[] b = in.readNBytes(4096);
      first = new String(b, java.nio.charset.StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      return null;
    }
    if (first.isEmpty() || first.charAt(0) == '#' || first.charAt(0) == '{') {
      return null;
    }
    if (base.startsWith("fast.log")) {
      return "skipped: Suricata's alert text log (alerts are read from eve.json)";
    }
    if (base.startsWith("stats.log")) {
      return "skipped: Suricata's statistics log";
    }
    if (base.startsWith("suricata.log")) {
      return "skipped: Suricata's own messages";
    }
    String line = first.lines().findFirst().orElse("");
    return "skipped: neither a Zeek log nor JSON lines (first line: "
        + org.bottrace.source.Printable.of(line.length() > 60 ? line.substring(0, 60) + "..." : line) + ")";
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
