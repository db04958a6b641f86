package org.bottrace.source;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bottrace.event.Event;

/** Reads a whole log in a test, keeping events and diagnostics. */
final class Read {
  final List<Event> events = new ArrayList<>();
  final List<String> messages = new ArrayList<>();
  long records;
  long malformed;
  String kind;

  static Read text(String fileName, String content) throws IOException {
    Read r = new Read();
    Diagnostics d = new Diagnostics(r.messages::add, () -> 0L);
    try (LogFileReader lr = new LogFileReader(new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)),
        fileName, fileName, 0, true, d)) {
      r.drain(lr);
    }
    return r;
  }

  static Read file(Path p) throws IOException {
    Read r = new Read();
    Diagnostics d = new Diagnostics(r.messages::add, () -> 0L);
    try (LogFileReader lr = new LogFileReader(p, p.getFileName().toString(), d)) {
      r.drain(lr);
    }
    return r;
  }

  private void drain(LogFileReader lr) throws IOException {
    Event e;
    while ((e = lr.next()) != null) {
      events.add(e);
    }
    records = lr.records();
    malformed = lr.malformed();
    kind = lr.kind();
  }

  @SuppressWarnings("unchecked")
  <T> T only(Class<T> type) {
    if (events.size() != 1 || !type.isInstance(events.get(0))) {
      throw new AssertionError("expected one " + type.getSimpleName() + ", got " + events + " " + messages);
    }
    return (T) events.get(0);
  }
}
