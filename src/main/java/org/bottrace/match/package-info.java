/**
 * What addresses and names are matched against, shared by the detectors and the enrichment: address and
 * network sets (home networks, allowlists, blacklists), domain sets, the list files that fill them and
 * their registry ({@link org.bottrace.match.ThreatLists}: declared once, used by name), and the facts the
 * enrichment knows of an address that a detector may ask for ({@link org.bottrace.match.AddressFacts}).
 * This package depends on neither {@code detect} nor {@code enrich}.
 */
package org.bottrace.match;
