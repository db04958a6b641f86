package org.bottrace.event;

import java.util.List;

/**
 * A Suricata EVE dns event in any of its versions: 1 (one event per answer), 2 (Suricata 5 to 7:
 * "query"/"answer", answers array, src_ip is the client in both) and 3 (Suricata 8: "request"/"response",
 * queries array, and responses carry the resolver as src_ip).
 *
 * @param ts time of the message
 * @param flowId Suricata flow id, or -1
 * @param flow client to resolver, whichever way the event logged it
 * @param communityIdField community_id when logged, else null
 * @param version 1, 2 or 3 (1 when the event has no version field)
 * @param query true for a query or request, false for an answer or response
 * @param dnsId DNS transaction id, or -1
 * @param rrname the (first) queried name, or null
 * @param rrtype its type, or null
 * @param rcode NOERROR, NXDOMAIN, ...; null for queries
 * @param answers the answer records (empty for queries)
 */
public record EveDns(long ts, long flowId, FlowKey flow, String communityIdField, int version, boolean query,
    long dnsId, String rrname, String rrtype, String rcode, List<Answer> answers) implements Event, EveEvent {

  /**
   * One answer record.
   *
   * @param rrname owner name
   * @param rrtype type (A, AAAA, CNAME, ...)
   * @param ttl TTL in seconds, or -1
   * @param rdata the data as text
   */
  public record Answer(String rrname, String rrtype, long ttl, String rdata) {}

  @Override
  public String ref() {
    return flowRef();
  }

  @Override
  public String type() {
    return "eve.dns";
  }
}
