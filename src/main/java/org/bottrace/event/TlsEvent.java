package org.bottrace.event;

/**
 * A TLS session as a sensor described it: a Zeek ssl.log row or a Suricata EVE tls event (one model for
 * both). Fields a sensor did not write are null.
 *
 * @param ts when the handshake was seen
 * @param ref Zeek uid or Suricata flow id, or null
 * @param flow client to server
 * @param communityIdField community_id when logged, else null
 * @param version "TLSv12", "TLSv13" (Zeek) or "TLS 1.2" (Suricata)
 * @param serverName the SNI the client sent
 * @param subject the server certificate's subject, when visible (Suricata; TLS 1.2 and earlier)
 * @param issuer its issuer, when visible
 * @param validationStatus Zeek's validation_status ("ok", "self signed certificate", ...), when Zeek's
 *     certificate validation script is loaded
 * @param established whether the handshake completed (Zeek), or null
 * @param type "ssl" for a Zeek row, "eve.tls" for a Suricata event
 */
public record TlsEvent(long ts, String ref, FlowKey flow, String communityIdField, String version, String serverName,
    String subject, String issuer, String validationStatus, Boolean established, String type) implements Event {

  /** The logged community_id, or the one computed from the 5-tuple. */
  public String communityId() {
    return communityIdField != null ? communityIdField : flow.communityId();
  }

  /** Whether what the sensor saw says the certificate signed itself: Zeek's status, or subject = issuer. */
  public boolean selfSigned() {
    if (validationStatus != null) {
      return validationStatus.contains("self signed");
    }
    return subject != null && subject.equals(issuer);
  }
}
