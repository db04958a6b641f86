/**
 * Detector plugins: each implements one mechanism of the source documents over typed events and
 * event-time state, and emits {@link org.bottrace.finding.Finding}s carrying their evidence.
 * Detectors are found with {@link java.util.ServiceLoader} through {@link org.bottrace.detect.DetectorFactory}
 * and are enabled and configured by name under {@code detectors:} in the configuration.
 */
package org.bottrace.detect;
