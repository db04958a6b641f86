/**
 * The configuration file (YAML): read once, every key consumed by the part it configures, anything
 * left over or malformed reported as {@code FILE: key 'a.b': problem} and exit code 2.
 */
package org.bottrace.config;
