/**
 * Bounded state that expires on event time: Caffeine caches whose {@link com.github.benmanes.caffeine.cache.Ticker}
 * is the log clock (the watermark), so a replay of yesterday's logs expires state exactly as
 * following them live would have. Expiry runs synchronously when the watermark advances.
 */
package org.bottrace.state;
