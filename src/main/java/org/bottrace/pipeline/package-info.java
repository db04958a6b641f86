/**
 * Joins the stages: the replay merge by availability time, the watermark, the detectors, then
 * allowlist, suppression and the sinks. A package of its own because it depends on every stage and
 * none depends on it.
 */
package org.bottrace.pipeline;
