package org.bottrace.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * What the shippers write to Kafka, turned into the one JSON log line the line parser reads and the Zeek log
 * it belongs to when the line cannot say:
 * <ul>
 *   <li>a raw EVE line (Suricata's Kafka output, Vector, Logstash): has {@code event_type};</li>
 *   <li>zeek-kafka with {@code Kafka::tag_json=T}: {@code {"conn": {...}}}, the log's name wrapping its record,
 *       with {@code Kafka::additional_message_values} beside it at the top (left out);</li>
 *   <li>zeek-kafka with {@code tag_json=F}: the plain Zeek JSON record, without {@code _path}: the log is the
 *       topic's per {@code kafka.topic_logs}, else the record key when it names a Zeek log, else the topic's
 *       name when it names one (zeek-kafka's empty {@code topic_name} makes the log's path the topic);</li>
 *   <li>Filebeat's envelope (it has {@code @metadata} or {@code agent}): the raw line in {@code message}, or
 *       decoded under a target key ({@code json}) or at the top; the log from {@code log.file.path};</li>
 *   <li>Vector's (a {@code message} beside {@code source_type} and {@code file}) and Logstash's (a
 *       {@code message} or decoded fields beside {@code log.file.path}): the same, the log from the file.</li>
 * </ul>
 * Zeek's JSON times may be epoch seconds, milliseconds ({@code JSON::TS_MILLIS}: integers) or ISO 8601: the
 * line parser reads all three.
 */
public final class KafkaRecords {
  private static final JsonFactory FACTORY = JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).build())
      .disable(com.fasterxml.jackson.core.StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();

  /** Filebeat's targets for decoded JSON that bottrace looks under (its legacy json input's default). */
  private static final String FILEBEAT_TARGET = "json";

  private KafkaRecords() {}

  /**
   * One record's log line.
   *
   * @param buf the bytes holding it
   * @param off where it starts
   * @param len its length
   * @param kind the Zeek log it is a record of when the line has no {@code _path} and is no EVE, or null
   */
  public record Line(byte[] buf, int off, int len, String kind) {}

  /**
   * Decodes one record's value.
   *
   * @param topic the record's topic
   * @param key the record's key, or null (zeek-kafka's)
   * @param value the record's value
   * @param topicLogs topic to Zeek log, for topics whose name does not say
   * @throws MalformedException when it is no JSON object, or a Filebeat line is Zeek TSV (its header is not
   *     shipped with it)
   */
  public static Line decode(String topic, byte[] key, byte[] value, Map<String, String> topicLogs)
      throws MalformedException {
    if (value == null) {
      throw new MalformedException("no value (a tombstone)");
    }
    int start = 0;
    while (start < value.length && isSpace(value[start])) {
      start++;
    }
    if (start == value.length) {
      throw new MalformedException("empty value");
    }
    if (value[start] != '{') {
      throw new MalformedException("not a JSON object");
    }
    Shape s = shape(value, start);
    if (s.eve) {
      return new Line(value, start, value.length - start, null);
    }
    if (s.filebeat) {
      String kind = s.filePath == null ? null : ZeekKinds.kindFromFileName(baseName(s.filePath));
      if (s.message != null) {
        byte[] m = s.message.getBytes(StandardCharsets.UTF_8);
        int i = 0;
        while (i < m.length && isSpace(m[i])) {
          i++;
        }
        if (i == m.length) {
          throw new MalformedException("empty message");
        }
        if (m[i] != '{') {
          throw new MalformedException("Filebeat's message is not JSON" + (kind != null
              ? " (a Zeek TSV line of " + kind + ".log: ship Zeek's JSON logs, LogAscii::use_json=T, since a TSV line"
              + " means nothing without its file's header)" : ""));
        }
        return new Line(m, i, m.length - i, kind);
      }
      if (s.targetOff >= 0) {
        return new Line(value, s.targetOff, s.targetEnd - s.targetOff, kind);
      }
      return new Line(value, start, value.length - start, kind);
    }
    if (s.objects == 1 && !s.hasTs && s.path == null && ZeekKinds.isLogName(s.objectName)) {
      // zeek-kafka's tagged JSON: the one object's name is the log's
      return new Line(value, s.objectOff, s.objectEnd - s.objectOff, s.objectName);
    }
    String kind = null;
    if (s.path == null) {
      // Logstash or Vector with the fields decoded: the file they came from says the log, else the topic
      kind = s.filePath != null ? ZeekKinds.kindFromFileName(baseName(s.filePath)) : null;
      kind = kind != null ? kind : plainKind(topic, key, topicLogs);
    }
    return new Line(value, start, value.length - start, kind);
  }

  /** The log of a plain Zeek JSON record (no _path): by the configured topic, the record key, the topic's name. */
  static String plainKind(String topic, byte[] key, Map<String, String> topicLogs) {
    String k = topicLogs.get(topic);
    if (k != null) {
      return k;
    }
    if (key != null && key.length > 0 && key.length < 64) {
      String byKey = ZeekKinds.kindFromFileName(new String(key, StandardCharsets.UTF_8).replace('.', '_'));
      if (byKey != null) {
        return byKey;
      }
    }
    return ZeekKinds.kindFromFileName(topic.toLowerCase(Locale.ROOT).replace('.', '_'));
  }

  private static String baseName(String path) {
    int slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
    return path.substring(slash + 1);
  }

  private static boolean isSpace(byte b) {
    return b == ' ' || b == '\t' || b == '\r' || b == '\n';
  }

  /** What the top level of a record holds. */
  private static final class Shape {
    boolean eve;
    boolean filebeat;
    boolean hasTs;
    String path;
    String message;
    String filePath;
    String vectorFile;
    boolean vector;
    int objects;
    String objectName;
    int objectOff;
    int objectEnd;
    int targetOff = -1;
    int targetEnd;
  }

  private static Shape shape(byte[] value, int start) throws MalformedException {
    Shape s = new Shape();
    try (JsonParser p = FACTORY.createParser(value, start, value.length - start)) {
      p.nextToken();
      JsonToken t;
      while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        if (v == JsonToken.START_OBJECT) {
          int off = start + (int) p.currentTokenLocation().getByteOffset();
          if (name.equals("log")) {
            s.filePath = filePath(p);
          } else {
            p.skipChildren();
          }
          int end = start + (int) p.currentLocation().getByteOffset();
          s.objects++;
          s.objectName = name;
          s.objectOff = off;
          s.objectEnd = end;
          if (name.equals("@metadata") || name.equals("agent")) {
            s.filebeat = true;
          } else if (name.equals(FILEBEAT_TARGET)) {
            s.targetOff = off;
            s.targetEnd = end;
          }
        } else if (v == JsonToken.START_ARRAY) {
          p.skipChildren();
        } else if (v == JsonToken.VALUE_STRING) {
          switch (name) {
            case "event_type": s.eve = true; break;
            case "_path": s.path = p.getText(); break;
            case "message": s.message = p.getText(); break;
            case "log.file.path": s.filePath = p.getText(); break;
            case "file": s.vectorFile = p.getText(); break; // Vector's file source
            case "source_type": s.vector = true; break;
            case "ts": s.hasTs = true; break;
            default: break;
          }
        } else if (name.equals("ts")) {
          s.hasTs = true;
        }
      }
      if (t != JsonToken.END_OBJECT) {
        throw new MalformedException("not valid JSON: unexpected " + t);
      }
      if (p.nextToken() != null) {
        throw new MalformedException("text after the JSON object");
      }
    } catch (IOException e) {
      String m = e.getMessage();
      int nl = m == null ? -1 : m.indexOf('\n');
      throw new MalformedException("not valid JSON: " + (nl < 0 ? m : m.substring(0, nl)));
    }
    if (s.filePath == null && s.vectorFile != null && (s.vector || s.message != null)) {
      s.filePath = s.vectorFile;
    }
    if (!s.filebeat && s.message != null && (s.filePath != null || s.vector)) {
      s.filebeat = true; // the raw line in message: Logstash or Vector passing it on, with or without the file
    }
    return s;
  }

  /** Reads the rest of a "log" object: its file.path (Filebeat's), else null. */
  private static String filePath(JsonParser p) throws IOException {
    String found = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String n = p.currentName();
      JsonToken v = p.nextToken();
      if (n.equals("file") && v == JsonToken.START_OBJECT) {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String fn = p.currentName();
          JsonToken fv = p.nextToken();
          if (fn.equals("path") && fv == JsonToken.VALUE_STRING) {
            found = p.getText();
          } else {
            p.skipChildren();
          }
        }
      } else if (n.equals("file.path") && v == JsonToken.VALUE_STRING) {
        found = p.getText();
      } else {
        p.skipChildren();
      }
    }
    return found;
  }
}
