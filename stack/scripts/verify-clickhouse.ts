/**
 * Checks that @clickhouse/client works against the stack's ClickHouse (Debian's
 * 18.16, much older than the client targets): SELECT 1, and a MergeTree table in
 * the old-but-still-current syntax created, filled (JSONEachRow) and aggregated.
 *
 *   npx tsx stack/scripts/verify-clickhouse.ts [http://127.0.0.1:8123]
 */
import { connectAnalytics } from '@shop/analytics';

const url =
  process.argv[2] ?? `http://127.0.0.1:${process.env.STACK_CLICKHOUSE_HTTP_PORT ?? '8123'}`;

export async function verifyClickhouse(chUrl: string): Promise<string[]> {
  // Through @shop/analytics, the one module that holds the client, as the services use it.
  const store = connectAnalytics({ url: chUrl, database: 'default' });
  const ch = store.client;
  const table = `default.stack_verify_${Date.now().toString(36)}`;
  try {
    const one = await (
      await ch.query({ query: 'SELECT 1 AS one', format: 'JSONEachRow' })
    ).json<{ one: number }>();
    await ch.command({
      query: `CREATE TABLE ${table} (day Date, product_id String, views UInt64)
              ENGINE = MergeTree() PARTITION BY toYYYYMM(day) ORDER BY (product_id, day)`,
    });
    await ch.insert({
      table,
      format: 'JSONEachRow',
      values: [
        { day: '2025-01-01', product_id: 'p1', views: 2 },
        { day: '2025-01-02', product_id: 'p1', views: 3 },
        { day: '2025-02-01', product_id: 'p2', views: 1 },
      ],
    });
    const rows = await (
      await ch.query({
        query: `SELECT product_id, sum(views) AS views, uniqExact(day) AS days FROM ${table} GROUP BY product_id ORDER BY product_id`,
        format: 'JSONEachRow',
      })
    ).json<{ product_id: string; views: string; days: string }>();
    // UInt64 arrives as a string in JSON formats.
    if (rows.length !== 2 || String(rows[0]?.views) !== '5')
      throw new Error(`unexpected rows ${JSON.stringify(rows)}`);
    return [`select1=${one[0]?.one}`, `mergetree rows=${JSON.stringify(rows)}`];
  } finally {
    await ch.command({ query: `DROP TABLE IF EXISTS ${table}` }).catch(() => undefined);
    await store.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  verifyClickhouse(url).then(
    (log) => console.log(`OK: ${log.join('; ')}`),
    (err: unknown) => {
      console.error('FAILED:', err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
