package org.bottrace.pipeline;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The checkpoint file ({@code STATE_DIR/checkpoint.json}, and the one before it,
 * {@code checkpoint.json.prev}): written whole or not at all (streamed to a temporary file, fsync,
 * rename, fsync of the folder) and only after the notices it covers are on disk. It holds
 * every input's file identity and offset, the notice file's length, the merge clocks and every cache
 * of every detector (a state snapshot: a restart continues exactly where the checkpoint was taken,
 * re-reading the records after it and truncating the notice file to the length it had then).
 */
public final class Checkpoints {
  /** Format version; a checkpoint of another version is not used (said at start). */
  public static final int VERSION = 1;

  /** Reads and writes keys and values of caches: fields, not getters, so state classes need no boilerplate. */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .setVisibility(PropertyAccessor.ALL, JsonAutoDetect.Visibility.NONE)
      .setVisibility(PropertyAccessor.FIELD, JsonAutoDetect.Visibility.ANY)
      .setVisibility(PropertyAccessor.CREATOR, JsonAutoDetect.Visibility.ANY)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private Checkpoints() {}

  static Path file(Path stateDir) {
    return stateDir.resolve("checkpoint.json");
  }

  /** The checkpoint before the last one, kept until the next is whole on disk. */
  static Path previous(Path stateDir) {
    return stateDir.resolve("checkpoint.json.prev");
  }

  /** What a checkpoint body writes: the root object's fields, streamed. */
  public interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  /**
   * The checkpoint in a state folder, or null when there is none. A damaged one (not JSON, another
   * version, a value of the wrong type) gives way to the previous one, with a warning; when neither can
   * be used, the exception names both and why.
   *
   * @param warn told when the previous checkpoint is used
   */
  public static JsonNode read(Path stateDir, java.util.function.Consumer<String> warn) throws IOException {
    Path f = file(stateDir);
    Path prev = previous(stateDir);
    if (!Files.exists(f) && !Files.exists(prev)) {
      return null;
    }
    String why;
    try {
      return readOne(f);
    } catch (IOException e) {
      why = e.getMessage();
    }
    if (!Files.exists(prev)) {
      throw new IOException(why);
    }
    try {
      JsonNode n = readOne(prev);
      warn.accept(Files.exists(f) ? why + "; using the previous checkpoint, " + prev
          : "using the previous checkpoint, " + prev + " (" + f + " was being replaced)");
      return n;
    } catch (IOException e) {
      throw new IOException(why + "; and the previous one: " + e.getMessage());
    }
  }

  private static JsonNode readOne(Path f) throws IOException {
    if (!Files.exists(f)) {
      throw new IOException(f + ": missing");
    }
    JsonNode n;
    try {
      n = MAPPER.readTree(f.toFile());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IOException(f + ": not valid JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new IOException(f + ": " + org.bottrace.source.IoCause.of(e));
    }
    if (n == null || !n.isObject() || n.path("version").asInt() != VERSION) {
      throw new IOException(f + " is not a bottrace checkpoint of version " + VERSION);
    }
    String bad = invalid(n);
    if (bad != null) {
      throw new IOException(f + ": " + bad);
    }
    return n;
  }

  /** What is wrong with a checkpoint's values, or null: every value read later is checked here. */
  static String invalid(JsonNode n) {
    for (JsonNode i : n.path("inputs")) {
      if (i.has("kafka")) {
        if (!i.path("kafka").isTextual() || !i.path("offset").canConvertToLong() || i.path("offset").asLong() < 0) {
          return "a Kafka partition without its topic/partition or offset";
        }
        continue;
      }
      if (!i.path("path").isTextual()) {
        return "an input without a path";
      }
      JsonNode p = i.get("position");
      if (p == null || p.isNull()) {
        continue;
      }
      String where = "input " + i.path("path").asText() + ": ";
      if (!p.path("offset").canConvertToLong() || !p.path("offset").isIntegralNumber() || p.path("offset").asLong() < 0) {
        return where + "offset is not a non-negative whole number: " + p.path("offset");
      }
      JsonNode file = p.path("file");
      if (!file.isObject() || !file.path("ino").isIntegralNumber() || !file.path("dev").isIntegralNumber()) {
        return where + "file identity is not {dev, ino, ...} numbers: " + file;
      }
      try {
        MAPPER.treeToValue(p, org.bottrace.source.TailedFile.Position.class);
      } catch (IOException e) {
        return where + "position unreadable (" + e.getMessage().lines().findFirst().orElse("") + ")";
      }
    }
    JsonNode notices = n.path("notices");
    if (notices.has("size") && (!notices.path("size").isIntegralNumber() || notices.path("size").asLong() < 0)) {
      return "notices.size is not a non-negative whole number: " + notices.path("size");
    }
    for (String k : new String[] {"merge_clock", "record_clock"}) {
      JsonNode c = n.path("clocks").path(k);
      if (!c.isMissingNode() && !c.isIntegralNumber()) {
        return "clocks." + k + " is not a whole number: " + c;
      }
    }
    return null;
  }

  /**
   * Writes a checkpoint whole or not at all: streamed to a temporary file, fsynced, then the current one
   * becomes the previous one and the new one takes its name (a crash in between leaves the previous one,
   * which {@link #read} uses). When the write fails (a full disk), the temporary file is removed and the
   * checkpoints there stay as they were.
   */
  public static void write(Path stateDir, Body body) throws IOException {
    Files.createDirectories(stateDir);
    Path tmp = stateDir.resolve("checkpoint.json.tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      // a channel's stream writes until the buffer is empty or the write fails (ENOSPC throws)
      java.io.OutputStream os = new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(ch), 1 << 16);
      try (JsonGenerator g = MAPPER.getFactory().createGenerator(os)) {
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.writeStartObject();
        g.writeNumberField("version", VERSION);
        body.write(g);
        g.writeEndObject();
      }
      os.flush();
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException ignored) {
        // the next write truncates it
      }
      throw e;
    }
    Path f = file(stateDir);
    if (Files.exists(f)) {
      Files.move(f, previous(stateDir), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
    Files.move(tmp, f, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(stateDir, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // some file systems cannot fsync a folder; the rename is still atomic
    }
  }
}
