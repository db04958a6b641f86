package org.bottrace.event;

/**
 * A Suricata EVE alert.
 *
 * @param ts time of the packet that fired the rule
 * @param flowId Suricata flow id, or -1
 * @param flow src to dest of that packet
 * @param communityIdField community_id when logged, else null
 * @param appProto application protocol, or null
 * @param action allowed, blocked
 * @param gid generator id
 * @param sid signature id
 * @param rev rule revision
 * @param signature signature message
 * @param category classification text
 * @param severity 1 (high) to 4, or -1
 * @param direction to_server or to_client, or null (Suricata before 7)
 */
public record EveAlert(long ts, long flowId, FlowKey flow, String communityIdField, String appProto, String action,
    long gid, long sid, long rev, String signature, String category, long severity, String direction)
    implements Event, EveEvent {
  @Override
  public String ref() {
    return flowRef();
  }

  @Override
  public String type() {
    return "eve.alert";
  }
}
