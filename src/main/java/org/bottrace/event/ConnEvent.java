package org.bottrace.event;

/**
 * A Zeek conn.log row. Counts are -1 when unset, durations {@link Micros#UNSET}.
 *
 * @param ts start of the connection
 * @param uid Zeek connection uid
 * @param flow the 5-tuple
 * @param service Zeek's comma-separated service guess ("irc", "irc,ssl"), or null
 * @param duration microseconds, or {@link Micros#UNSET}
 * @param origBytes payload bytes from the originator, or -1
 * @param respBytes payload bytes from the responder, or -1
 * @param connState S0, SF, REJ, ...
 * @param localOrig whether the originator is local per Zeek's Site::local_nets, or null
 * @param localResp whether the responder is local, or null
 * @param missedBytes bytes Zeek missed, or -1
 * @param history Zeek's history string
 * @param origPkts packets from the originator, or -1
 * @param origIpBytes IP bytes from the originator, or -1
 * @param respPkts packets from the responder, or -1
 * @param respIpBytes IP bytes from the responder, or -1
 * @param communityIdField the community_id column when the log has it, else null
 */
public record ConnEvent(long ts, String uid, FlowKey flow, String service, long duration, long origBytes,
    long respBytes, String connState, Boolean localOrig, Boolean localResp, long missedBytes, String history,
    long origPkts, long origIpBytes, long respPkts, long respIpBytes, String communityIdField) implements Event {

  /** Zeek writes the row when the connection ends: start plus duration. */
  @Override
  public long availableAt() {
    return duration == Micros.UNSET || duration < 0 ? ts : ts + duration;
  }

  @Override
  public String ref() {
    return uid;
  }

  @Override
  public String type() {
    return "conn";
  }

  /** The logged community_id, or the one computed from the 5-tuple. */
  public String communityId() {
    return communityIdField != null ? communityIdField : flow.communityId();
  }
}
