package org.bottrace.event;

/**
 * A Suricata EVE anomaly event.
 *
 * @param ts time of the packet
 * @param flowId Suricata flow id, or -1
 * @param flow src to dest, or null for anomalies below the transport layer
 * @param communityIdField community_id when logged, else null
 * @param anomalyType decode, stream or applayer
 * @param event the anomaly's name
 * @param layer the layer, or null
 * @param appProto the application protocol, or null
 */
public record EveAnomaly(long ts, long flowId, FlowKey flow, String communityIdField, String anomalyType,
    String event, String layer, String appProto) implements Event, EveEvent {
  @Override
  public String ref() {
    return flowRef();
  }

  @Override
  public String type() {
    return "eve.anomaly";
  }
}
