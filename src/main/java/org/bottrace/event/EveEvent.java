package org.bottrace.event;

/** What every Suricata EVE record carries besides its own fields. */
public interface EveEvent {
  /** Suricata's flow_id, or -1 when the event has none. */
  long flowId();

  /** The 5-tuple as logged (src, dest). */
  FlowKey flow();

  /** The community_id field when Suricata logged it, else null. */
  String communityIdField();

  /** The logged community_id, or the one computed from the 5-tuple. */
  default String communityId() {
    String c = communityIdField();
    return c != null ? c : flow() == null ? null : flow().communityId();
  }

  /** The flow id as text, for the notices' uids. */
  default String flowRef() {
    return flowId() < 0 ? null : Long.toString(flowId());
  }

}
