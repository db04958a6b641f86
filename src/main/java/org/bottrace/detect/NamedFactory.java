package org.bottrace.detect;

import org.bottrace.config.ConfigException;
import org.bottrace.config.ConfigNode;

/**
 * A {@link DetectorFactory} given by its name, summary and constructor. ServiceLoader needs a class with
 * a public no-argument constructor per detector: each detector's {@code Factory} extends this and
 * passes its three parts to {@code super}.
 */
public abstract class NamedFactory implements DetectorFactory {
  /** A detector's constructor from its configuration section and context. */
  public interface Maker {
    Detector make(ConfigNode config, DetectorContext context) throws ConfigException;
  }

  private final String name;
  private final String summary;
  private final Maker maker;

  protected NamedFactory(String name, String summary, Maker maker) {
    this.name = name;
    this.summary = summary;
    this.maker = maker;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String summary() {
    return summary;
  }

  @Override
  public final Detector create(ConfigNode c, DetectorContext context) throws ConfigException {
    return maker.make(c, context);
  }
}
