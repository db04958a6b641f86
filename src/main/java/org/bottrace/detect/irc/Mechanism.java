package org.bottrace.detect.irc;

/**
 * One of document 000's detection mechanisms, applied to what is known of one IRC server. It adds signs
 * with points and the figures behind them; {@link IrcBotnet} combines them into verdicts.
 */
interface Mechanism {
  /** Its configuration section and its name in the evidence ("response_time"). */
  String name();

  /** Adds this mechanism's signs for the clients, channels and herders of the server in view. */
  void evaluate(View v, Signs out);
}
