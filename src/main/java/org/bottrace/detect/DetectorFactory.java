package org.bottrace.detect;

import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;

/**
 * Makes a detector from its configuration section. Registered in
 * {@code META-INF/services/org.bottrace.detect.DetectorFactory}.
 */
public interface DetectorFactory {
  /** The detector's name, which is also its notice type ("IRC::ControlSession"). */
  String name();

  /** One line on what it detects. */
  String summary();

  /** Whether it runs when the configuration does not mention it. */
  default boolean enabledByDefault() {
    return true;
  }

  /**
   * Makes the detector, consuming its configuration keys (the caller fails on any left over).
   *
   * @throws ConfigException naming the key and problem when a parameter is wrong
   */
  Detector create(ConfigNode config, DetectorContext context) throws ConfigException;
}
