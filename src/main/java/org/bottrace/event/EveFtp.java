package org.bottrace.event;

import java.util.List;

/**
 * A Suricata EVE ftp event. Suricata up to 8 has no IRC parser and sometimes takes an IRC session for
 * FTP: then {@code command}/{@code commandData} hold a client line (often mangled) and {@code reply}
 * the server's lines (intact). Detectors use what survives and no more.
 *
 * @param ts time of the transaction
 * @param flowId Suricata flow id, or -1
 * @param flow client to server
 * @param communityIdField community_id when logged, else null
 * @param command the first word of a client line, or null
 * @param commandData the rest of that line, or null
 * @param reply the server's lines
 */
public record EveFtp(long ts, long flowId, FlowKey flow, String communityIdField, String command,
    String commandData, List<String> reply) implements Event, EveEvent {
  @Override
  public String ref() {
    return flowRef();
  }

  @Override
  public String type() {
    return "eve.ftp";
  }
}
