package org.bottrace.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bottrace.event.ConnEvent;
import org.bottrace.event.Event;
import org.bottrace.event.Micros;
import org.junit.jupiter.api.Test;

/** What zeek-kafka, Suricata's shippers and Filebeat write to Kafka reads as the same log's lines do. */
class KafkaRecordsTest {
  private static final Path ZEEK_JSON = Path.of("examples/logs/zeek-branch-json");
  private static final Path EVE = Path.of("examples/logs/suricata/eve.json");

  /** The records of one partition, read as bottrace run reads them. */
  private static final class Partition {
    final List<Event> events = new ArrayList<>();
    final List<String> messages = new ArrayList<>();
    final RecordReader reader;

    Partition(String topic, Map<String, String> topicLogs) {
      reader = new RecordReader(topic, 0, topicLogs, new Diagnostics(messages::add, () -> 0L));
    }

    Partition read(List<byte[]> keys, List<byte[]> values) {
      Chunk c = reader.start();
      for (int i = 0; i < values.size(); i++) {
        reader.add(c, 100 + i, keys == null ? null : keys.get(i), values.get(i));
      }
      reader.parse(c);
      reader.take(c);
      for (int i = 0; i < c.eventCount(); i++) {
        events.add(c.event(i));
      }
      return this;
    }
  }

  private static List<byte[]> bytes(List<String> lines) {
    List<byte[]> out = new ArrayList<>();
    for (String l : lines) {
      out.add(l.getBytes(StandardCharsets.UTF_8));
    }
    return out;
  }

  private static List<String> lines(Path p) throws Exception {
    return Files.readAllLines(p).stream().filter(l -> !l.isBlank()).toList();
  }

  @Test
  void zeekKafkaTagged_oneTopicForAllLogs_readsAsTheFilesDo() throws Exception {
    List<String> values = new ArrayList<>();
    List<Event> expected = new ArrayList<>();
    for (String log : List.of("conn", "dns", "irc", "irc_cmd", "http", "files")) {
      Path f = ZEEK_JSON.resolve(log + ".log");
      for (String l : lines(f)) {
        // Kafka::tag_json=T with Kafka::additional_message_values = {"sensor"}
        values.add("{\"" + log + "\": " + l + ", \"sensor\": \"branch-1\"}");
      }
      expected.addAll(Read.file(f).events);
    }
    Partition p = new Partition("zeek", Map.of()).read(null, bytes(values));
    assertTrue(expected.size() > 150, "the example logs hold records: " + expected.size());
    assertEquals(expected, p.events);
    assertEquals(List.of(), p.messages);
    assertEquals(values.size(), p.reader.records());
  }

  @Test
  void zeekKafkaPlain_logFromTheTopicTheKeyOrTheMapping() throws Exception {
    List<String> conn = lines(ZEEK_JSON.resolve("conn.log"));
    List<Event> expected = Read.file(ZEEK_JSON.resolve("conn.log")).events;
    // zeek-kafka with an empty topic_name: the log's path is the topic
    assertEquals(expected, new Partition("conn", Map.of()).read(null, bytes(conn)).events);
    assertEquals(expected, new Partition("zeek.conn", Map.of()).read(null, bytes(conn)).events);
    // one topic, the log's name as the record key
    List<byte[]> keys = new ArrayList<>();
    for (int i = 0; i < conn.size(); i++) {
      keys.add("conn".getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(expected, new Partition("zeek", Map.of()).read(keys, bytes(conn)).events);
    // a topic whose name says nothing, mapped in kafka.topic_logs
    assertEquals(expected, new Partition("site-a-flows", Map.of("site-a-flows", "conn")).read(null, bytes(conn)).events);
    Partition unknown = new Partition("site-a-flows", Map.of()).read(null, bytes(conn));
    assertEquals(List.of(), unknown.events);
    assertEquals(conn.size(), unknown.reader.malformed());
    assertEquals("bottrace: site-a-flows/0:100: skipped malformed line: neither event_type (Suricata EVE) nor _path"
        + " (Zeek JSON), and the topic, the record key and kafka.topic_logs name no Zeek log", unknown.messages.get(0));
  }

  @Test
  void zeekKafkaMillisAndIsoTimes_readAsEpochSeconds() throws Exception {
    String secs = "{\"ts\":1796158408.764182,\"uid\":\"C1\",\"id.orig_h\":\"10.0.0.1\",\"id.orig_p\":1,"
        + "\"id.resp_h\":\"192.0.2.1\",\"id.resp_p\":6667,\"proto\":\"tcp\",\"duration\":1.5}";
    String millis = secs.replace("1796158408.764182", "1796158408764");
    String iso = secs.replace("1796158408.764182", "\"2026-12-01T20:53:28.764182Z\"");
    List<Event> got = new Partition("zeek-conn", Map.of()).read(null, bytes(List.of(secs, millis, iso))).events;
    assertEquals(3, got.size());
    assertEquals(Micros.parseAny("1796158408.764182"), ((ConnEvent) got.get(0)).ts());
    assertEquals(Micros.parseAny("1796158408.764"), ((ConnEvent) got.get(1)).ts());
    assertEquals(Micros.parseAny("1796158408.764182"), ((ConnEvent) got.get(2)).ts());
    assertEquals(1_500_000L, ((ConnEvent) got.get(1)).duration());
  }

  @Test
  void eveLines_andFilebeatsEnvelope_readAsTheFileDoes() throws Exception {
    List<String> eve = lines(EVE);
    List<Event> expected = Read.file(EVE).events;
    assertFalse(expected.isEmpty());
    assertEquals(expected, new Partition("suricata", Map.of()).read(null, bytes(eve)).events);
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> raw = new ArrayList<>();
    List<String> decoded = new ArrayList<>();
    List<String> atRoot = new ArrayList<>();
    for (String l : eve) {
      // Filebeat 8's Kafka output: the line in message, its file in log.file.path
      String head = "{\"@timestamp\":\"2026-12-01T20:54:03.764Z\",\"@metadata\":{\"beat\":\"filebeat\",\"type\":\"_doc\","
          + "\"version\":\"8.17.0\"},\"log\":{\"offset\":0,\"file\":{\"path\":\"/var/log/suricata/eve.json\"}},"
          + "\"input\":{\"type\":\"filestream\"},\"agent\":{\"type\":\"filebeat\",\"version\":\"8.17.0\"},"
          + "\"ecs\":{\"version\":\"8.0.0\"},\"host\":{\"name\":\"sensor-1\"}";
      raw.add(head + ",\"message\":" + json.writeValueAsString(l) + "}");
      decoded.add(head + ",\"json\":" + l + "}");
      atRoot.add(l.substring(0, l.length() - 1) + ",\"agent\":{\"type\":\"filebeat\"}}");
    }
    assertEquals(expected, new Partition("filebeat", Map.of()).read(null, bytes(raw)).events);
    assertEquals(expected, new Partition("filebeat", Map.of()).read(null, bytes(decoded)).events);
    assertEquals(expected, new Partition("filebeat", Map.of()).read(null, bytes(atRoot)).events);
  }

  @Test
  void filebeatsZeekLines_logFromTheFilePath_tsvRefused() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> conn = lines(ZEEK_JSON.resolve("conn.log"));
    List<String> values = new ArrayList<>();
    for (String l : conn) {
      values.add("{\"@metadata\":{\"beat\":\"filebeat\"},\"log\":{\"file\":{\"path\":\"/opt/zeek/logs/current/conn.log\"}},"
          + "\"message\":" + json.writeValueAsString(l) + "}");
    }
    assertEquals(Read.file(ZEEK_JSON.resolve("conn.log")).events,
        new Partition("filebeat", Map.of()).read(null, bytes(values)).events);
    Partition tsv = new Partition("filebeat", Map.of()).read(null, bytes(List.of(
        "{\"@metadata\":{\"beat\":\"filebeat\"},\"log\":{\"file\":{\"path\":\"/opt/zeek/logs/current/conn.log\"}},"
            + "\"message\":\"1796158408.764182\\tCJKF\\t127.1.0.50\"}")));
    assertEquals(1, tsv.reader.malformed());
    assertEquals("bottrace: filebeat/0:100: skipped malformed line: Filebeat's message is not JSON (a Zeek TSV line of"
        + " conn.log: ship Zeek's JSON logs, LogAscii::use_json=T, since a TSV line means nothing without its file's"
        + " header)", tsv.messages.get(0));
  }

  @Test
  void vectorAndLogstash_logFromTheirFile() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    List<String> dns = lines(ZEEK_JSON.resolve("dns.log"));
    List<String> vector = new ArrayList<>();
    List<String> logstash = new ArrayList<>();
    for (String l : dns) {
      // Vector's file source with its default JSON encoding
      vector.add("{\"file\":\"/opt/zeek/logs/current/dns.log\",\"host\":\"sensor-1\",\"message\":"
          + json.writeValueAsString(l) + ",\"source_type\":\"file\",\"timestamp\":\"2026-12-01T20:54:03.764Z\"}");
      // Logstash with a json filter: the fields at the top, beside its own and the file's
      logstash.add(l.substring(0, l.length() - 1) + ",\"@version\":\"1\",\"@timestamp\":\"2026-12-01T20:54:03.764Z\","
          + "\"log\":{\"file\":{\"path\":\"/opt/zeek/logs/current/dns.log\"}},\"host\":{\"name\":\"sensor-1\"}}");
    }
    List<Event> expected = Read.file(ZEEK_JSON.resolve("dns.log")).events;
    assertFalse(expected.isEmpty());
    assertEquals(expected, new Partition("logs", Map.of()).read(null, bytes(vector)).events);
    assertEquals(expected, new Partition("logs", Map.of()).read(null, bytes(logstash)).events);
  }

  @Test
  void oneNestedObjectThatNamesNoZeekLog_isNoTaggedRecord_andAnEmptyMessageIsMalformed() throws Exception {
    Partition p = new Partition("zeek", Map.of()).read(null, bytes(List.of(
        "{\"@timestamp\":\"2026-12-01T20:54:03Z\",\"uid\":\"C1\",\"host\":{\"name\":\"h\"}}",
        "{\"@metadata\":{\"beat\":\"filebeat\"},\"message\":\"  \"}")));
    assertEquals(List.of(), p.events);
    assertEquals(2, p.reader.malformed(), "said, not dropped: " + p.messages);
    assertTrue(p.messages.get(0).endsWith("and the topic, the record key and kafka.topic_logs name no Zeek log"),
        p.messages.get(0));
  }

  @Test
  void badRecords_countedReportedSkipped_theOthersRead() throws Exception {
    List<String> conn = lines(ZEEK_JSON.resolve("conn.log"));
    List<byte[]> values = new ArrayList<>(bytes(List.of(conn.get(0))));
    values.add(null);
    values.add("not json".getBytes(StandardCharsets.UTF_8));
    values.add("{\"conn\": {\"ts\": 1.0,".getBytes(StandardCharsets.UTF_8));
    values.add(new byte[0]);
    values.add(conn.get(1).getBytes(StandardCharsets.UTF_8));
    Partition p = new Partition("conn", Map.of()).read(null, values);
    assertEquals(2, p.events.size());
    assertEquals(6, p.reader.records());
    assertEquals(4, p.reader.malformed());
    assertEquals("bottrace: conn/0:101: skipped malformed line: no value (a tombstone)", p.messages.get(0));
  }
}
