import { bool, fraction, hostPortList, int, oneOf, port, str, url } from '@shop/config';

/** The relay process's settings (kept apart from main.ts so tools can read them without starting it). */
export const relaySettings = {
  HOST: str({ default: '127.0.0.1' }),
  PORT: port(4010),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], 'info'),
  /** The database whose outbox_events this replica publishes (order, catalog, ...). */
  DATABASE_URL: url(['postgres', 'postgresql']),
  KAFKA_BROKERS: hostPortList('127.0.0.1:9092'),
  RELAY_NAME: str({ default: 'outbox-relay' }),
  RELAY_BATCH_SIZE: int({ default: 500, min: 1, max: 10_000 }),
  RELAY_POLL_INTERVAL_MS: int({ default: 1000, min: 10, max: 600_000 }),
  /** After a NOTIFY, wait this long for more commits to publish in the same batch. */
  RELAY_LINGER_MS: int({ default: 5, min: 0, max: 1000 }),
  RELAY_BACKOFF_INITIAL_MS: int({ default: 100, min: 1, max: 60_000 }),
  RELAY_BACKOFF_MAX_MS: int({ default: 10_000, min: 1, max: 600_000 }),
  /** Kafka rejections (unknown topic, message too large) after which a row is marked failed. */
  RELAY_MAX_REJECTIONS: int({ default: 5, min: 1, max: 1000 }),
  /** Wait before a rejected row is tried again (doubling up to the max). */
  RELAY_REJECTION_BACKOFF_INITIAL_MS: int({ default: 1000, min: 1, max: 600_000 }),
  RELAY_REJECTION_BACKOFF_MAX_MS: int({ default: 30_000, min: 1, max: 3_600_000 }),
  /** Sent rows older than this are deleted (0 keeps them). */
  RELAY_RETENTION_MS: int({ default: 24 * 3600 * 1000, min: 0, max: 90 * 24 * 3600 * 1000 }),
  RELAY_CLEANUP_INTERVAL_MS: int({ default: 60_000, min: 100, max: 24 * 3600 * 1000 }),
  RELAY_LISTEN: bool(true),
  /** Chaos switch, off by default: probability of a dropped publish per batch. */
  CHAOS_PUBLISH_FAILURE_RATE: fraction(0),
  /** Chaos switch: probability of a crash (process exit) after publishing, before marking. */
  CHAOS_CRASH_RATE: fraction(0),
};
