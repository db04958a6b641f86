package org.bottrace;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Paths of test resources. */
public final class TestFiles {
  private TestFiles() {}

  /** A file or folder under src/test/resources. */
  public static Path resource(String name) {
    URL u = TestFiles.class.getClassLoader().getResource(name);
    if (u == null) {
      throw new IllegalArgumentException("no test resource " + name);
    }
    try {
      return Path.of(u.toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A file under src/test/resources/data. */
  public static Path data(String name) {
    return resource("data/" + name);
  }
}
