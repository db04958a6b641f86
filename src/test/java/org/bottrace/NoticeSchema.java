package org.bottrace;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * The published notice schema (src/main/resources/notice.schema.json), checked against every JSON notice
 * a test's run prints (Run.of): a detector that adds a field the schema does not declare, or gives a
 * field another type than the schema's, fails the test that ran it.
 */
public final class NoticeSchema {
  private static final Schema SCHEMA = load();
  private static final String DUMP = System.getProperty("bottrace.dumpNotices");

  private NoticeSchema() {}

  private static Schema load() {
    try (InputStream in = Files.newInputStream(Path.of("src/main/resources/notice.schema.json"))) {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12).getSchema(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Checks every line of {@code out} that is a JSON notice; throws AssertionError naming the first problem. */
  public static void check(String out) {
    for (String line : out.split("\n")) {
      if (!line.startsWith("{\"ts\":") || !line.contains("\"note\":")) {
        continue;
      }
      if (DUMP != null) {
        try {
          Files.writeString(Path.of(DUMP), line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      List<Error> errors = SCHEMA.validate(line, InputFormat.JSON);
      if (!errors.isEmpty()) {
        throw new AssertionError("a notice does not fit notice.schema.json: " + errors.subList(0, Math.min(5,
            errors.size())) + "\n" + (line.length() > 2000 ? line.substring(0, 2000) + "..." : line));
      }
    }
  }
}
