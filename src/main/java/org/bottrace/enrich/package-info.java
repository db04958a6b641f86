/**
 * What bottrace knows about the hosts and names a finding involves: address and network sets (home
 * networks, allowlists, blacklists), domain sets, and the list loaders that fill them.
 */
package org.bottrace.enrich;
