package org.bottrace.state;

import java.io.IOException;

/**
 * Objects one pipeline shares between its stages (a list file named by several sections is read once),
 * and the warnings a stage gives about its input or configuration without stopping the run.
 */
public interface Shared {
  /** Makes a shared object; may fail with an I/O error. */
  interface Maker<T> {
    T make() throws IOException;
  }

  /**
   * One object per key for the whole pipeline, made by {@code make} the first time it is asked for: a
   * list file named alike by several sections is read (and kept in memory) once.
   */
  <T> T shared(String key, Maker<T> make) throws IOException;

  /** Warnings about the input or the configuration that do not stop the run. */
  void warn(String message);
}
