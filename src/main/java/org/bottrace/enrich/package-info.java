/**
 * What bottrace adds to a finding about the servers it names: listing memberships and their history, the
 * S25R end-user test, GeoIP country, network operator and connection type, the administrator class and
 * traceability. The lists and sets it matches against are {@link org.bottrace.match}'s.
 */
package org.bottrace.enrich;
