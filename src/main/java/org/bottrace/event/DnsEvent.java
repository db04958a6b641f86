package org.bottrace.event;

import java.util.List;

/**
 * A Zeek dns.log row.
 *
 * @param ts time of the query (or of the reply when no query was seen)
 * @param uid Zeek connection uid
 * @param flow client to resolver
 * @param transId DNS transaction id, or -1
 * @param rtt round trip time in microseconds, or {@link Micros#UNSET}
 * @param query the queried name, or null
 * @param qtype query type number, or -1
 * @param qtypeName query type name (A, PTR, ...), or null
 * @param rcode response code, or -1 when no reply was seen
 * @param rcodeName NOERROR, NXDOMAIN, ..., or null
 * @param aa authoritative answer flag, or null
 * @param rd recursion desired, or null
 * @param ra recursion available, or null
 * @param answers the answers' data (addresses, names, text)
 * @param ttls the answers' TTLs in microseconds, in the same order
 * @param rejected whether the server rejected the query, or null
 */
public record DnsEvent(long ts, String uid, FlowKey flow, long transId, long rtt, String query, long qtype,
    String qtypeName, long rcode, String rcodeName, Boolean aa, Boolean rd, Boolean ra, List<String> answers,
    List<Long> ttls, Boolean rejected) implements Event {
  @Override
  public String ref() {
    return uid;
  }

  @Override
  public String type() {
    return "dns";
  }
}
