package org.bottrace.event;

import java.util.List;

/**
 * A Zeek http.log row.
 *
 * @param ts time of the request
 * @param uid Zeek connection uid
 * @param flow client to server
 * @param method request method, or null
 * @param host Host header, or null
 * @param uri request URI, or null
 * @param userAgent User-Agent header, or null
 * @param requestBodyLen request body bytes, or -1
 * @param responseBodyLen response body bytes, or -1
 * @param statusCode response status, or -1
 * @param respFuids file ids of the response bodies
 * @param respMimeTypes MIME types Zeek sniffed in the response bodies
 */
public record HttpEvent(long ts, String uid, FlowKey flow, String method, String host, String uri, String userAgent,
    long requestBodyLen, long responseBodyLen, long statusCode, List<String> respFuids, List<String> respMimeTypes)
    implements Event {
  @Override
  public String ref() {
    return uid;
  }

  @Override
  public String type() {
    return "http";
  }
}
