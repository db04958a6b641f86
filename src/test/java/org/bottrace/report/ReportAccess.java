package org.bottrace.report;

/** The HTML report's escaping, for the hostile-content tests of every sink. */
public final class ReportAccess {
  private ReportAccess() {}

  public static String esc(Object o) {
    return Report.esc(o);
  }
}
