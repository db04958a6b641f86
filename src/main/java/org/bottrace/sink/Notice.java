package org.bottrace.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.bottrace.detect.Finding;

/**
 * A finding as written out.
 *
 * @param id stable id: the same note, key and window always give the same id, so a SIEM can drop
 *     duplicates a restart let through
 * @param finding what was found
 * @param detector the detector that found it
 * @param suppressed how many findings of the same note, src, dst and sub were suppressed since the
 *     last one was written
 * @param enrichment what enrichment added (empty until enrichment is configured)
 */
public record Notice(String id, Finding finding, String detector, long suppressed, Map<String, Object> enrichment) {

  /** The stable id of a finding: 16 hex digits of SHA-256 over note, key and window. */
  public static String idOf(Finding f) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] d = md.digest((f.note() + "\u0000" + f.key() + "\u0000" + f.window()).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
