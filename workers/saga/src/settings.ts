import { fraction, hostPortList, int, oneOf, port, str, url } from '@shop/config';

/** The saga worker's settings (apart from main.ts so tools can read them without starting it). */
export const sagaSettings = {
  HOST: str({ default: '127.0.0.1' }),
  PORT: port(4012),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], 'info'),
  /** The order database: order status, payments, their inbox and outbox. */
  ORDER_DATABASE_URL: url(['postgres', 'postgresql']),
  /** The catalog database: stock, reservations, their inbox and outbox. */
  CATALOG_DATABASE_URL: url(['postgres', 'postgresql']),
  REDIS_URL: url(['redis', 'rediss'], 'redis://127.0.0.1:6379'),
  KAFKA_BROKERS: hostPortList('127.0.0.1:9092'),
  SAGA_NAME: str({ default: 'saga' }),
  /** Simulated payment provider: probability (0..1) of a decline, and latency per payment. */
  PAYMENT_DECLINE_RATE: fraction(0),
  PAYMENT_LATENCY_MS: int({ default: 0, min: 0, max: 60_000 }),
  /** An order waiting longer than this for stock or payment is cancelled; swept this often. */
  SAGA_STEP_TIMEOUT_MS: int({ default: 30_000, min: 100, max: 86_400_000 }),
  SAGA_TIMEOUT_SWEEP_MS: int({ default: 1000, min: 50, max: 600_000 }),
  SAGA_MAX_ATTEMPTS: int({ default: 5, min: 1, max: 100 }),
  /**
   * Consumer group session: how long the group waits for a consumer that vanished (a crash, a
   * broker restart) before its partitions move on. The broker's minimum is 6 s.
   */
  SAGA_SESSION_TIMEOUT_MS: int({ default: 10_000, min: 6000, max: 300_000 }),
  /** Partitions the saga's consumer handles at once (its three topics have 3 each). */
  SAGA_PARTITIONS_CONCURRENTLY: int({ default: 9, min: 1, max: 64 }),
  /** Chaos switch, off by default: probability that a handler fails after its effect. */
  CHAOS_HANDLER_FAILURE_RATE: fraction(0),
};
