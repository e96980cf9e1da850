import { ClickHouseLogLevel, createClient, type ClickHouseClient } from '@clickhouse/client';

/**
 * The one place that builds a ClickHouse client: every other module goes through this
 * package, so a client upgrade (or a server newer than 18.16) touches one place.
 */
export interface AnalyticsStore {
  /** The underlying client; used only inside this package. */
  readonly client: ClickHouseClient;
  /** Database holding the analytics tables (tests use their own). */
  readonly database: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** Database names are spliced into SQL (18.16 has no query parameters), so only plain identifiers. */
export function checkDatabaseName(name: string): string {
  if (!IDENTIFIER.test(name))
    throw new Error(`invalid ClickHouse database name ${JSON.stringify(name)}`);
  return name;
}

export function connectAnalytics(options: {
  url: string;
  database: string;
  requestTimeoutMs?: number;
}): AnalyticsStore {
  const database = checkDatabaseName(options.database);
  // No `database` on the client: the schema step creates it, so statements name it themselves.
  const client = createClient({
    url: options.url,
    request_timeout: options.requestTimeoutMs ?? 30_000,
    // 18.16 answers gzip fine, and a top-N result is tiny anyway; inserts are the big bodies.
    compression: { request: false, response: false },
    // Its console logger would print every failure; callers get the error and log it through pino.
    log: { level: ClickHouseLogLevel.OFF },
  });
  return {
    client,
    database,
    async ping() {
      const result = await client.ping();
      if (!result.success) throw result.error;
    },
    close: () => client.close(),
  };
}
