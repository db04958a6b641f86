package org.bottrace.suricata;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes classic libpcap files (Ethernet, IPv4, TCP with correct checksums) of TCP conversations, for
 * feeding Suricata in tests: a three-way handshake, then each segment acknowledged by the other side.
 */
final class Pcap {
  /** One segment of payload: who sends it and when (microseconds since the epoch). */
  record Segment(boolean fromClient, long atMicros, String payload) {}

  private final ByteArrayOutputStream out = new ByteArrayOutputStream();

  Pcap() {
    ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
    h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(1);
    out.writeBytes(h.array());
  }

  /** Adds a TCP conversation between client and server with these segments. */
  Pcap conversation(String client, int cport, String server, int sport, long startMicros, List<Segment> segments) {
    byte[] c = addr(client);
    byte[] s = addr(server);
    long cseq = 1000;
    long sseq = 500_000;
    packet(startMicros, c, cport, s, sport, cseq, 0, 0x02, new byte[0]);
    packet(startMicros + 100, s, sport, c, cport, sseq, cseq + 1, 0x12, new byte[0]);
    cseq++;
    sseq++;
    packet(startMicros + 200, c, cport, s, sport, cseq, sseq, 0x10, new byte[0]);
    for (Segment g : segments) {
      byte[] p = g.payload().getBytes(StandardCharsets.UTF_8);
      if (g.fromClient()) {
        packet(g.atMicros(), c, cport, s, sport, cseq, sseq, 0x18, p);
        cseq += p.length;
        packet(g.atMicros() + 50, s, sport, c, cport, sseq, cseq, 0x10, new byte[0]);
      } else {
        packet(g.atMicros(), s, sport, c, cport, sseq, cseq, 0x18, p);
        sseq += p.length;
        packet(g.atMicros() + 50, c, cport, s, sport, cseq, sseq, 0x10, new byte[0]);
      }
    }
    return this;
  }

  byte[] bytes() {
    return out.toByteArray();
  }

  private static byte[] addr(String ip) {
    try {
      return InetAddress.getByName(ip).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }

  private int ipId = 1;

  private void packet(long micros, byte[] src, int sport, byte[] dst, int dport, long seq, long ack, int flags,
      byte[] payload) {
    int tcpLen = 20 + payload.length;
    ByteBuffer tcp = ByteBuffer.allocate(tcpLen);
    tcp.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack)
        .put((byte) 0x50).put((byte) flags).putShort((short) 65535).putShort((short) 0).putShort((short) 0)
        .put(payload);
    ByteBuffer pseudo = ByteBuffer.allocate(12 + tcpLen);
    pseudo.put(src).put(dst).put((byte) 0).put((byte) 6).putShort((short) tcpLen).put(tcp.array());
    tcp.putShort(16, (short) checksum(pseudo.array()));
    ByteBuffer ip = ByteBuffer.allocate(20);
    ip.put((byte) 0x45).put((byte) 0).putShort((short) (20 + tcpLen)).putShort((short) ipId++)
        .putShort((short) 0x4000).put((byte) 64).put((byte) 6).putShort((short) 0).put(src).put(dst);
    ip.putShort(10, (short) checksum(ip.array()));
    byte[] eth = {0, 0x16, 0x3e, 0, 0, 1, 0, 0x16, 0x3e, 0, 0, 2, 0x08, 0x00};
    int len = eth.length + 20 + tcpLen;
    ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
    rec.putInt((int) (micros / 1_000_000)).putInt((int) (micros % 1_000_000)).putInt(len).putInt(len);
    out.writeBytes(rec.array());
    out.writeBytes(eth);
    out.writeBytes(ip.array());
    out.writeBytes(tcp.array());
  }

  private static int checksum(byte[] b) {
    long sum = 0;
    for (int i = 0; i < b.length; i += 2) {
      int hi = b[i] & 0xff;
      int lo = i + 1 < b.length ? b[i + 1] & 0xff : 0;
      sum += (hi << 8) | lo;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }

  /** Segments from alternating text: each line "C 0.5 text" or "S 0.7 text" (seconds after start). */
  static List<Segment> script(long startMicros, String... lines) {
    List<Segment> out = new ArrayList<>();
    for (String l : lines) {
      String[] f = l.split(" ", 3);
      out.add(new Segment(f[0].equals("C"), startMicros + Math.round(Double.parseDouble(f[1]) * 1e6),
          f[2] + "\r\n"));
    }
    return out;
  }
}
