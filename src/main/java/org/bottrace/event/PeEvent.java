package org.bottrace.event;

/**
 * A Zeek pe.log row: a Windows executable seen in traffic.
 *
 * @param ts when it was seen
 * @param fuid file id (Zeek's {@code id} column), joins files.log
 * @param machine target machine (I386, AMD64, ...), or null
 * @param os required OS, or null
 * @param subsystem subsystem, or null
 * @param isExe true for an executable, false for a DLL or other object, null if unknown
 * @param is64bit whether it is a 64-bit image, or null
 */
public record PeEvent(long ts, String fuid, String machine, String os, String subsystem, Boolean isExe,
    Boolean is64bit) implements Event {
  @Override
  public FlowKey flow() {
    return null;
  }

  @Override
  public String ref() {
    return fuid;
  }

  @Override
  public String type() {
    return "pe";
  }
}
