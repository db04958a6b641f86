package org.bottrace.state;

/**
 * An IRC channel on one server: the key of per-channel state. Channel names are case-insensitive in
 * IRC (RFC 2812 section 2.2), so they are kept in lower case.
 *
 * @param server the server's address
 * @param port the server's port
 * @param channel the channel name, lower case
 */
public record ChannelKey(String server, int port, String channel) {
  /** The key of a channel as a client named it. */
  public static ChannelKey of(String server, int port, String channel) {
    return new ChannelKey(server, port, channel.toLowerCase(java.util.Locale.ROOT));
  }
}
