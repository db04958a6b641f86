package org.bottrace.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Which file a path holds: device and inode (a rename keeps them, a new file gets new ones) and a
 * fingerprint of its first bytes (a gzip copy keeps the content but not the inode: its decompressed
 * first bytes are compared). For Zeek logs the first bytes hold the #open time, for EVE the first
 * event's timestamp, so two files of one log do not share a fingerprint.
 *
 * @param dev device number
 * @param ino inode number
 * @param fingerprint hex SHA-256 of the first {@code fingerprintLength} (decompressed) bytes
 * @param fingerprintLength how many bytes the fingerprint covers (at most {@link #FINGERPRINT_BYTES})
 */
public record FileId(long dev, long ino, String fingerprint, int fingerprintLength) {
  /** Bytes a fingerprint covers when the file has them. */
  public static final int FINGERPRINT_BYTES = 1024;

  /** The identity of the file at a path now; null when there is none. */
  public static FileId of(Path p) throws IOException {
    Map<String, Object> a;
    try {
      a = Files.readAttributes(p, "unix:dev,ino");
    } catch (NoSuchFileException e) {
      return null;
    } catch (UnsupportedOperationException e) {
      a = Map.of("dev", 0L, "ino", (long) p.toAbsolutePath().toString().hashCode());
    }
    byte[] head = head(p, FINGERPRINT_BYTES);
    return new FileId(((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue(), hash(head, head.length),
        head.length);
  }

  /** Device and inode of a path, or null when there is no file. */
  static long[] inode(Path p) throws IOException {
    try {
      Map<String, Object> a = Files.readAttributes(p, "unix:dev,ino");
      return new long[] {((Number) a.get("dev")).longValue(), ((Number) a.get("ino")).longValue()};
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Whether the file at {@code p} (plain or gzip) starts with the bytes this fingerprint covers. */
  public boolean sameContentStart(Path p) {
    try {
      byte[] head = head(p, fingerprintLength);
      return head.length == fingerprintLength && hash(head, head.length).equals(fingerprint);
    } catch (IOException e) {
      return false;
    }
  }

  /** The first {@code n} bytes of a file, decompressed if it is gzip; fewer if it is shorter. */
  static byte[] head(Path p, int n) throws IOException {
    try (InputStream raw = Files.newInputStream(p)) {
      java.io.BufferedInputStream b = new java.io.BufferedInputStream(raw);
      b.mark(2);
      int m1 = b.read();
      int m2 = b.read();
      b.reset();
      InputStream in = m1 == 0x1f && m2 == 0x8b ? new GZIPInputStream(b) : b;
      return in.readNBytes(n);
    } catch (java.io.EOFException | java.util.zip.ZipException e) {
      return new byte[0]; // a gzip file still being written
    }
  }

  static String hash(byte[] b, int n) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(b, 0, n);
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
