import { int, loadConfig, optional } from '@shop/config';

/** Every process's default share of events per consumer transaction (read from its environment). */
export const transactionSizeSettings = {
  /**
   * Events of one partition a route handles in one transaction (ConsumerOptions
   * .maxEventsPerTransaction, when a consumer does not set its own). 1 gives every event its own
   * transaction, as before shared transactions existed.
   */
  EVENTS_MAX_PER_TRANSACTION: optional(int({ min: 1, max: 1000 })),
};

/**
 * Large enough that a busy partition's fetch shares a few transactions, small enough that one
 * holds its row locks briefly.
 */
export const MAX_EVENTS_PER_TRANSACTION = 50;

/** The default of this process's environment. */
export const maxEventsPerTransactionOf = (env: Record<string, string | undefined> = process.env) =>
  loadConfig(transactionSizeSettings, env).EVENTS_MAX_PER_TRANSACTION ?? MAX_EVENTS_PER_TRANSACTION;
