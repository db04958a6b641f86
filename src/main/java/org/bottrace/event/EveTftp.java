package org.bottrace.event;

/**
 * A Suricata EVE tftp event.
 *
 * @param ts time of the request
 * @param flowId Suricata flow id, or -1
 * @param flow client to server
 * @param communityIdField community_id when logged, else null
 * @param packet read or write
 * @param file the requested file name
 * @param mode octet or netascii
 */
public record EveTftp(long ts, long flowId, FlowKey flow, String communityIdField, String packet, String file,
    String mode) implements Event, EveEvent {
  @Override
  public String ref() {
    return flowRef();
  }

  @Override
  public String type() {
    return "eve.tftp";
  }
}
