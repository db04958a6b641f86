/**
 * Benchmarks: JMH benchmarks of the parsers and the generator of the large logs the end-to-end
 * benchmark ({@code src/jmh/bench.sh}) replays. Not part of the product jar.
 */
package org.bottrace.bench;
