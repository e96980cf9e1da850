import { hostPortList, int, oneOf, port, str, url } from '@shop/config';

/** The analytics worker's settings (apart from main.ts so tools can read them without starting it). */
export const analyticsWorkerSettings = {
  HOST: str({ default: '127.0.0.1' }),
  PORT: port(4014),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], 'info'),
  KAFKA_BROKERS: hostPortList('127.0.0.1:9092'),
  CLICKHOUSE_URL: url(['http', 'https'], 'http://127.0.0.1:8123'),
  /** The search subgraph reads the same database. */
  CLICKHOUSE_DATABASE: str({ default: 'shop', max: 63 }),
  ANALYTICS_NAME: str({ default: 'analytics' }),
  /** A batch is written at this many rows... */
  ANALYTICS_BATCH_ROWS: int({ default: 5000, min: 1, max: 1_000_000 }),
  /** ...or this long after its first message: ClickHouse wants about one insert a second. */
  ANALYTICS_BATCH_MS: int({ default: 1000, min: 10, max: 60_000 }),
};
