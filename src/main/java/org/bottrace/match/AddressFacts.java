package org.bottrace.match;

/**
 * What the enrichment knows of an address that a detector may ask for: the line it is on (the S25R test
 * of its PTR name) and the network operator behind it. The pipeline shares one under {@link #SHARED}; a
 * detector asks for it when it decides, since the enrichment learns from the DNS while the logs are read.
 */
public interface AddressFacts {
  /** The key under which the pipeline shares its address facts with the detectors. */
  String SHARED = "address.facts";

  /**
   * The line an address is on, as far as the DNS seen so far tells.
   *
   * @param state "unknown" when nothing is known; otherwise what was seen (a PTR name, an NXDOMAIN answer)
   * @param endUser whether the address looks like an end-user line (dial-up, DSL, cable)
   * @param why the rule or the evidence behind the verdict
   */
  record LineType(String state, boolean endUser, String why) {
    /** Whether anything is known of the line. */
    public boolean known() {
      return !"unknown".equals(state);
    }
  }

  /** The line type of an address. */
  LineType lineType(String ip);

  /** Whether an ASN database is configured: without one, {@link #asn} always answers -1. */
  boolean hasAsn();

  /** The number of the autonomous system an address is in, or -1 when no database knows it. */
  long asn(String ip);
}
