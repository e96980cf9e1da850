import { hostPortList, int, oneOf, port, str, url } from '@shop/config';

/** The search indexer's settings (apart from main.ts so tools can read them without starting it). */
export const searchIndexerSettings = {
  HOST: str({ default: '127.0.0.1' }),
  PORT: port(4013),
  LOG_LEVEL: oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace'], 'info'),
  /** The catalog database: the products it re-reads, and its inbox. */
  CATALOG_DATABASE_URL: url(['postgres', 'postgresql']),
  ELASTICSEARCH_URL: url(['http', 'https'], 'http://127.0.0.1:9200'),
  SEARCH_INDEX_PREFIX: str({ default: 'shop' }),
  KAFKA_BROKERS: hostPortList('127.0.0.1:9092'),
  INDEXER_NAME: str({ default: 'search-indexer' }),
  INDEXER_MAX_ATTEMPTS: int({ default: 5, min: 1, max: 100 }),
  /** Partitions of a topic indexed at once (each partition stays in order). */
  INDEXER_PARTITIONS_CONCURRENTLY: int({ default: 3, min: 1, max: 64 }),
};
