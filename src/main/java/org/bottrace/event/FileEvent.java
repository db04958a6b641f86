package org.bottrace.event;

/**
 * A Zeek files.log row (Zeek 5 and later carry uid and id; older logs only conn_uids, taken here as uid).
 *
 * @param ts when the file was first seen
 * @param fuid file id
 * @param uid the connection that carried it, or null
 * @param flow that connection's 5-tuple, or null when the log has none
 * @param source protocol that carried it (HTTP, FTP_DATA, IRC_DATA, ...)
 * @param mimeType sniffed MIME type, or null
 * @param filename file name from the protocol, or null
 * @param seenBytes bytes seen, or -1
 * @param totalBytes total size if known, or -1
 * @param md5 MD5 if computed, or null
 * @param sha1 SHA-1 if computed, or null
 * @param sha256 SHA-256 if computed, or null
 */
public record FileEvent(long ts, String fuid, String uid, FlowKey flow, String source, String mimeType,
    String filename, long seenBytes, long totalBytes, String md5, String sha1, String sha256) implements Event {
  @Override
  public String ref() {
    return uid != null ? uid : fuid;
  }

  @Override
  public String type() {
    return "files";
  }
}
