import { StartupError } from '@shop/config';
import { connectAnalytics, type AnalyticsStore } from './client.ts';
import { applyAnalyticsSchema } from './schema.ts';

/**
 * What services call at start: connects, checks the server answers and creates the schema when
 * missing (so the worker and the search subgraph can start in any order). Failures name the
 * setting to fix, CLICKHOUSE_URL or CLICKHOUSE_DATABASE.
 */
export async function openAnalyticsStore(settings: {
  CLICKHOUSE_URL: string;
  CLICKHOUSE_DATABASE: string;
}): Promise<AnalyticsStore> {
  let store: AnalyticsStore;
  try {
    store = connectAnalytics({
      url: settings.CLICKHOUSE_URL,
      database: settings.CLICKHOUSE_DATABASE,
    });
  } catch (error) {
    throw new StartupError('CLICKHOUSE_DATABASE', (error as Error).message);
  }
  try {
    await store.ping();
    await applyAnalyticsSchema(store);
  } catch (error) {
    await store.close();
    throw new StartupError(
      'CLICKHOUSE_URL',
      `cannot use ClickHouse (${(error as Error).message.split('\n')[0]})`,
    );
  }
  return store;
}
