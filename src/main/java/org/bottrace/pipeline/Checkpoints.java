package org.bottrace.pipeline;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The checkpoint file ({@code STATE_DIR/checkpoint.json}): written atomically (a temporary file,
 * fsync, rename, fsync of the folder) and only after the notices it covers are on disk. It holds
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

  /** The checkpoint in a state folder, or null when there is none. */
  public static JsonNode read(Path stateDir) throws IOException {
    Path f = file(stateDir);
    if (!Files.exists(f)) {
      return null;
    }
    JsonNode n = MAPPER.readTree(f.toFile());
    if (n == null || n.path("version").asInt() != VERSION) {
      throw new IOException(f + " is not a bottrace checkpoint of version " + VERSION);
    }
    return n;
  }

  /** Writes a checkpoint atomically: after a crash the old one or the new one is there, whole. */
  public static void write(Path stateDir, ObjectNode cp) throws IOException {
    Files.createDirectories(stateDir);
    cp.put("version", VERSION);
    Path tmp = stateDir.resolve("checkpoint.json.tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(cp)));
      ch.force(true);
    }
    Files.move(tmp, file(stateDir), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    try (FileChannel dir = FileChannel.open(stateDir, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // some file systems cannot fsync a folder; the rename is still atomic
    }
  }
}
