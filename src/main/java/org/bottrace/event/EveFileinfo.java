package org.bottrace.event;

/**
 * A Suricata EVE fileinfo event. src is the side that sent the file (the HTTP server for a download).
 *
 * @param ts time the file was logged
 * @param flowId Suricata flow id, or -1
 * @param flow sender to receiver
 * @param communityIdField community_id when logged, else null
 * @param appProto protocol that carried it, or null
 * @param filename file name (for HTTP, the URL path), or null
 * @param magic libmagic description when enabled ("PE32 executable ..."), or null
 * @param size file size, or -1
 * @param state CLOSED, TRUNCATED, ...; or null
 * @param sha256 SHA-256 when enabled, or null
 * @param httpHostname the HTTP Host of the transaction, or null
 * @param httpContentType the HTTP Content-Type of the transaction, or null
 */
public record EveFileinfo(long ts, long flowId, FlowKey flow, String communityIdField, String appProto,
    String filename, String magic, long size, String state, String sha256, String httpHostname,
    String httpContentType) implements Event, EveEvent {
  @Override
  public String ref() {
    return flowRef();
  }

  @Override
  public String type() {
    return "eve.fileinfo";
  }
}
