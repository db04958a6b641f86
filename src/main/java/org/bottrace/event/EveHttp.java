package org.bottrace.event;

/**
 * A Suricata EVE http event.
 *
 * @param ts time of the transaction
 * @param flowId Suricata flow id, or -1
 * @param flow client to server
 * @param communityIdField community_id when logged, else null
 * @param hostname Host, or null
 * @param url URL path, or null
 * @param userAgent User-Agent, or null
 * @param contentType response Content-Type, or null
 * @param method request method, or null
 * @param status response status, or -1
 * @param length response body length, or -1
 */
public record EveHttp(long ts, long flowId, FlowKey flow, String communityIdField, String hostname, String url,
    String userAgent, String contentType, String method, long status, long length) implements Event, EveEvent {
  @Override
  public String ref() {
    return flowRef();
  }

  @Override
  public String type() {
    return "eve.http";
  }
}
