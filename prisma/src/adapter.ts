import { PrismaPg } from '@prisma/adapter-pg';

export interface PoolOptions {
  /** Connections in this process's pool; small by default since five services share one server. */
  max?: number;
}

/**
 * A transaction left open without a statement for this long is ended by PostgreSQL. Interactive
 * transactions time out after 5 s on the client; this is the server's net under it, so a client
 * that stops driving its transaction (seen once in a benchmark process under heavy CPU
 * contention: five BEGINs and nothing after) cannot hold row locks and connections for ever.
 */
const IDLE_IN_TRANSACTION_TIMEOUT_MS = 60_000;

/** The pg driver adapter every generated client runs on (no native query engine). */
export function pgAdapter(connectionString: string, options: PoolOptions = {}): PrismaPg {
  return new PrismaPg({
    connectionString,
    max: options.max ?? 10,
    idle_in_transaction_session_timeout: IDLE_IN_TRANSACTION_TIMEOUT_MS,
  });
}
