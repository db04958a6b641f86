package org.bottrace.sink;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.bottrace.finding.Finding;

/**
 * A finding as written out.
 *
 * @param id this notice's id: unique per notice and reproducible (the same logs give the same ids), so a
 *     SIEM can drop the duplicates a restart let through
 * @param subject the id of what the notice is about (note, key and window): every update of one verdict
 *     (more bots, a new stage) shares it, so a SIEM keeps the latest per subject
 * @param finding what was found
 * @param detector the detector that found it
 * @param suppressed how many findings of the same note, src, dst and sub were suppressed since the
 *     last one was written
 * @param enrichment what enrichment added (empty until enrichment is configured)
 */
public record Notice(String id, String subject, Finding finding, String detector, long suppressed,
    Map<String, Object> enrichment) {

  /** A notice of a finding, with its ids. */
  public static Notice of(Finding f, String detector, long suppressed, Map<String, Object> enrichment) {
    String subject = subjectOf(f);
    return new Notice(idOf(subject, f), subject, f, detector, suppressed, enrichment);
  }

  /** The subject id of a finding: 16 hex digits of SHA-256 over note, key and window. */
  public static String subjectOf(Finding f) {
    return hash(f.note() + "\u0000" + f.key() + "\u0000" + f.window());
  }

  /**
   * A notice's own id: 16 hex digits of SHA-256 over its subject, its time, its message and its facts (an
   * update of a verdict differs from the verdict in at least one).
   */
  static String idOf(String subject, Finding f) {
    return hash(subject + "\u0000" + f.ts() + "\u0000" + f.msg() + "\u0000" + String.join("\u0001", f.facts()));
  }

  private static String hash(String s) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8)), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM has no SHA-256", e);
    }
  }
}
