package org.bottrace.event;

/**
 * A Suricata EVE flow event. Its {@code timestamp} is not the flow's start (Suricata 7 writes the
 * time the flow was logged, or the first packet of the capture); flow.start and flow.end are used.
 *
 * @param ts flow.start
 * @param end flow.end: when Suricata could write it
 * @param flowId Suricata flow id
 * @param flow src to dest as logged (src is the originator)
 * @param communityIdField community_id when logged, else null
 * @param appProto detected application protocol ("failed" when detection failed), or null
 * @param pktsToServer packets originator to responder, or -1
 * @param pktsToClient packets responder to originator, or -1
 * @param bytesToServer bytes originator to responder, or -1
 * @param bytesToClient bytes responder to originator, or -1
 * @param state new, established, closed, bypassed; or null
 * @param reason timeout, forced, shutdown; or null
 * @param alerted whether an alert fired on the flow, or null
 * @param tcpFlags tcp.tcp_flags (hex), or null
 * @param tcpState tcp.state, or null
 */
public record EveFlow(long ts, long end, long flowId, FlowKey flow, String communityIdField, String appProto,
    long pktsToServer, long pktsToClient, long bytesToServer, long bytesToClient, String state, String reason,
    Boolean alerted, String tcpFlags, String tcpState) implements Event, EveEvent {
  @Override
  public long availableAt() {
    return Math.max(ts, end);
  }

  @Override
  public String ref() {
    return flowRef();
  }

  @Override
  public String type() {
    return "eve.flow";
  }
}
