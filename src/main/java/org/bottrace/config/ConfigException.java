package org.bottrace.config;

/** Bad configuration: names the file, the key and what was expected. Start-up stops with exit code 2. */
public final class ConfigException extends Exception {
  private final String file;
  private final String key;
  private final String problem;

  /**
   * @param file the configuration file (or "defaults" / "command line")
   * @param key the dotted key, or "" for the file as a whole
   * @param problem what is wrong and what was expected
   */
  public ConfigException(String file, String key, String problem) {
    super(file + (key.isEmpty() ? "" : ": key '" + key + "'") + ": " + problem);
    this.file = file;
    this.key = key;
    this.problem = problem;
  }

  public String file() {
    return file;
  }

  public String key() {
    return key;
  }

  public String problem() {
    return problem;
  }
}
