/**
 * What a detector found ({@link org.bottrace.finding.Finding}): its note, hosts, evidence and the typed
 * facts other stages use (the servers it names and their roles, the infection stage, the IRC server,
 * severity and confidence). Written by {@code detect}, read by {@code enrich}, the pipeline, the sinks and
 * the report; it depends on none of them.
 */
package org.bottrace.finding;
