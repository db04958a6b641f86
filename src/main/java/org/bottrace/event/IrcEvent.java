package org.bottrace.event;

/**
 * A Zeek irc.log row: NICK, USER, JOIN or DCC SEND as Zeek's base IRC script logs them.
 *
 * @param ts when Zeek logged the command
 * @param uid Zeek connection uid
 * @param flow client to server
 * @param nick the client's nick at that time, or null
 * @param user the client's user name, or null
 * @param command NICK, USER, JOIN, DCC
 * @param value the command's argument (nick, user name, channel)
 * @param addl additional data (USER: mode and real name; JOIN: " with channel key: 'k'"), or null
 * @param dccFileName file name of a DCC SEND, or null
 * @param dccFileSize size of a DCC SEND, or -1
 * @param dccMimeType MIME type Zeek sniffed for a DCC SEND, or null
 * @param fuid file id of a DCC transfer, or null
 */
public record IrcEvent(long ts, String uid, FlowKey flow, String nick, String user, String command, String value,
    String addl, String dccFileName, long dccFileSize, String dccMimeType, String fuid) implements Event {
  @Override
  public String ref() {
    return uid;
  }

  @Override
  public String type() {
    return "irc";
  }
}
