/**
 * Where notices go: JSON lines (one object per notice, for SIEM shippers) or a Zeek-format log
 * (bottrace.log with a real #fields/#types header). Schemas are fixed and documented in the README;
 * all text that came from the logs is bounded in length and escaped.
 */
package org.bottrace.sink;
