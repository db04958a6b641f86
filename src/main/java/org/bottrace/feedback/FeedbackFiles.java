package org.bottrace.feedback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bottrace.event.Addresses;

/**
 * The feedback files, each replaced atomically (written beside, synced, renamed over; Zeek's Input
 * framework reads a file again when it is replaced, and must never see half of one):
 * <ul>
 *   <li>{@code bottrace.intel}: Zeek's Intel format ({@code indicator, indicator_type, meta.source,
 *       meta.desc, meta.url, meta.do_notice, meta.remove}); a withdrawn entry has meta.remove T;</li>
 *   <li>Suricata datasets, one datum per line: {@code bottrace-cc-ip.lst}, {@code bottrace-download-ip.lst},
 *       {@code bottrace-herder-ip.lst} (type ip), {@code bottrace-cc-names.lst} and
 *       {@code bottrace-download-names.lst} (type string: base64, as Suricata stores strings);</li>
 *   <li>Suricata IP reputation: {@code bottrace-iprep.list} ({@code ip,category,score}, the score the
 *       confidence in percent) and its {@code bottrace-iprep-categories.txt}.</li>
 * </ul>
 */
public final class FeedbackFiles {
  private FeedbackFiles() {}

  /** Zeek Intel file. */
  public static final String INTEL = "bottrace.intel";
  /** The Suricata reputation categories bottrace uses: id, short name, description. */
  static final String[][] CATEGORIES = {{"50", "BottraceCC", "C&C servers bottrace found"},
      {"51", "BottraceDownload", "malware download servers bottrace found"},
      {"52", "BottraceHerder", "botnet herders bottrace found"}};

  private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
  private static final Pattern URL_CHARS = Pattern.compile("[A-Za-z0-9._~:/?#\\[\\]@!$&'()*+,;=%-]+");

  /**
   * The indicator as the files write it, or null when {@code raw} is no valid one: an address (canonical
   * text, not unspecified), a DNS name (lower case, letters, digits, '-' and '_', two labels or more, not
   * all digits), or an http(s) URL of RFC 3986's characters, written as Zeek matches it (host[:port]/path,
   * no scheme), at most 1024 characters.
   */
  static String valid(Feedback.Type t, String raw) {
    if (raw == null) {
      return null;
    }
    switch (t) {
      case ADDR: {
        if (!raw.matches("[0-9A-Fa-f.:]{2,45}") || !Addresses.isAddress(raw)) {
          return null; // no zone (%eth0) nor anything else beside the address itself
        }
        String a = Addresses.canonical(raw);
        return a.equals("0.0.0.0") || a.equals("::") ? null : a;
      }
      case DOMAIN: {
        String n = raw.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
          n = n.substring(0, n.length() - 1);
        }
        if (n.isEmpty() || n.length() > 253) {
          return null;
        }
        String[] labels = n.split("\\.", -1);
        if (labels.length < 2 || labels[labels.length - 1].matches("[0-9]+")) {
          return null;
        }
        for (String l : labels) {
          if (!LABEL.matcher(l).matches()) {
            return null;
          }
        }
        return n;
      }
      case URL: {
        String u = raw;
        int scheme = u.indexOf("://");
        if (scheme > 0) {
          String s = u.substring(0, scheme).toLowerCase(Locale.ROOT);
          if (!s.equals("http") && !s.equals("https")) {
            return null;
          }
          u = u.substring(scheme + 3);
        }
        int slash = u.indexOf('/');
        if (slash <= 0 || u.length() > 1024 || !URL_CHARS.matcher(u).matches() || u.contains("://")) {
          return null;
        }
        String host = urlHost(u);
        boolean bracketed = host.startsWith("[") && host.endsWith("]");
        String bare = bracketed ? host.substring(1, host.length() - 1) : host;
        if (valid(Feedback.Type.ADDR, bare) == null && (bracketed || valid(Feedback.Type.DOMAIN, bare) == null)) {
          return null;
        }
        return u.substring(0, slash).toLowerCase(Locale.ROOT) + u.substring(slash);
      }
      default:
        return null;
    }
  }

  /** The host of a URL in Zeek's form (host[:port]/path), without its port. */
  static String urlHost(String u) {
    int slash = u.indexOf('/');
    String hp = slash < 0 ? u : u.substring(0, slash);
    if (hp.startsWith("[")) {
      int end = hp.indexOf(']');
      return end < 0 ? hp : hp.substring(0, end + 1);
    }
    int colon = hp.lastIndexOf(':');
    return colon < 0 ? hp : hp.substring(0, colon);
  }

  /** Writes every file for the entries given (live and withdrawn). */
  static void write(Path dir, List<Feedback.Entry> entries) throws IOException {
    StringBuilder intel = new StringBuilder(
        "#fields\tindicator\tindicator_type\tmeta.source\tmeta.desc\tmeta.url\tmeta.do_notice\tmeta.remove\n");
    StringBuilder ccIp = new StringBuilder();
    StringBuilder dlIp = new StringBuilder();
    StringBuilder herderIp = new StringBuilder();
    StringBuilder ccNames = new StringBuilder();
    StringBuilder dlNames = new StringBuilder();
    StringBuilder rep = new StringBuilder();
    Base64.Encoder b64 = Base64.getEncoder();
    for (Feedback.Entry e : entries) {
      intel.append(e.indicator).append('\t').append(e.type.zeek()).append("\tbottrace\t").append(Feedback.label(e))
          .append("\t-\tT\t").append(e.live() ? 'F' : 'T').append('\n');
      if (!e.live()) {
        continue;
      }
      int score = (int) Math.max(1, Math.min(100, Math.round(e.confidence * 100)));
      for (Feedback.Role r : e.roles) {
        if (e.type == Feedback.Type.ADDR) {
          (r == Feedback.Role.CC ? ccIp : r == Feedback.Role.DOWNLOAD ? dlIp : herderIp).append(e.indicator).append('\n');
          rep.append(e.indicator).append(',').append(CATEGORIES[r.ordinal()][0]).append(',').append(score).append('\n');
        } else if (e.type == Feedback.Type.DOMAIN) {
          String line = b64.encodeToString(Feedback.utf8(e.indicator)) + "\n";
          if (r == Feedback.Role.CC) {
            ccNames.append(line);
          } else if (r == Feedback.Role.DOWNLOAD) {
            dlNames.append(line);
          }
        }
      }
    }
    StringBuilder cats = new StringBuilder();
    for (String[] c : CATEGORIES) {
      cats.append(String.join(",", c)).append('\n');
    }
    replace(dir.resolve(INTEL), Feedback.utf8(intel.toString()));
    replace(dir.resolve("bottrace-cc-ip.lst"), Feedback.utf8(ccIp.toString()));
    replace(dir.resolve("bottrace-download-ip.lst"), Feedback.utf8(dlIp.toString()));
    replace(dir.resolve("bottrace-herder-ip.lst"), Feedback.utf8(herderIp.toString()));
    replace(dir.resolve("bottrace-cc-names.lst"), Feedback.utf8(ccNames.toString()));
    replace(dir.resolve("bottrace-download-names.lst"), Feedback.utf8(dlNames.toString()));
    replace(dir.resolve("bottrace-iprep.list"), Feedback.utf8(rep.toString()));
    replace(dir.resolve("bottrace-iprep-categories.txt"), Feedback.utf8(cats.toString()));
  }

  /**
   * Replaces {@code target} with {@code bytes} atomically: a temporary file in the same folder, synced to
   * disk, renamed over the target, the folder synced. A file that holds those bytes already is left alone
   * (Zeek and Suricata would read it again for nothing).
   */
  static void replace(Path target, byte[] bytes) throws IOException {
    if (Files.isRegularFile(target) && Files.size(target) == bytes.length
        && Arrays.equals(Files.readAllBytes(target), bytes)) {
      return;
    }
    Path dir = target.toAbsolutePath().getParent();
    Path tmp = dir.resolve("." + target.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ByteBuffer b = ByteBuffer.wrap(bytes);
      while (b.hasRemaining()) {
        ch.write(b);
      }
      ch.force(true);
    }
    try {
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
    }
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException notOnThisFileSystem) {
      // some file systems cannot sync a folder; the rename is done
    }
  }
}
