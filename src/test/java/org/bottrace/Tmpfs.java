package org.bottrace;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted on a test's folder, to fill a disk or make one read-only. Mounting needs root:
 * elsewhere the test is skipped with a message on stderr; under CI=true (root there) it fails.
 */
public final class Tmpfs implements AutoCloseable {
  private final Path dir;

  private Tmpfs(Path dir) {
    this.dir = dir;
  }

  /** Mounts a tmpfs of {@code size} (mount's syntax: 512k, 4m) with {@code options} (e.g. "ro") on {@code dir}. */
  public static Tmpfs mount(Path dir, String size, String options) throws Exception {
    Files.createDirectories(dir);
    String opts = "size=" + size + (options.isEmpty() ? "" : "," + options);
    Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", opts, "tmpfs", dir.toString())
        .redirectErrorStream(true).start();
    String said = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      String msg = "cannot mount a tmpfs (" + said.strip() + "; needs root): the disk-full tests are skipped";
      if ("true".equals(System.getenv("CI"))) {
        fail(msg);
      }
      System.err.println("SKIPPED: " + msg);
      Assumptions.abort(msg);
    }
    return new Tmpfs(dir);
  }

  /** Fills the file system but for about {@code leave} bytes, with a file that {@link #free} removes. */
  public void fill(long leave) throws Exception {
    java.nio.file.FileStore st = Files.getFileStore(dir);
    long n = Math.max(0, st.getUsableSpace() - leave);
    byte[] block = new byte[4096];
    try (java.io.OutputStream os = Files.newOutputStream(dir.resolve("filler"))) {
      for (long w = 0; w + block.length <= n; w += block.length) {
        os.write(block);
      }
    } catch (java.io.IOException full) {
      // full already: that is the point
    }
  }

  /** Removes the filler: space is free again. */
  public void free() throws Exception {
    Files.deleteIfExists(dir.resolve("filler"));
  }

  @Override
  public void close() throws Exception {
    new ProcessBuilder("umount", "-l", dir.toString()).inheritIO().start().waitFor(30, TimeUnit.SECONDS);
  }
}
