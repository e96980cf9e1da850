import type { AnalyticsStore } from './client.ts';
import { toTableRecord, type AnalyticsRow } from './rows.ts';

/** Rows grouped by table, so that one flush is one INSERT per table. */
export function groupByTable(
  rows: readonly AnalyticsRow[],
): Map<string, Record<string, unknown>[]> {
  const byTable = new Map<string, Record<string, unknown>[]>();
  for (const row of rows) {
    let records = byTable.get(row.table);
    if (!records) byTable.set(row.table, (records = []));
    records.push(toTableRecord(row));
  }
  return byTable;
}

/**
 * Writes a batch: one INSERT per table, in parallel. ClickHouse makes a part per INSERT, so
 * callers batch (thousands of rows, about once a second) rather than insert per event. A
 * failed batch is simply written again: copies collapse by key (schema.ts).
 */
export async function insertAnalyticsRows(
  store: AnalyticsStore,
  rows: readonly AnalyticsRow[],
): Promise<void> {
  await Promise.all(
    [...groupByTable(rows)].map(([table, values]) =>
      store.client.insert({ table: `${store.database}.${table}`, values, format: 'JSONEachRow' }),
    ),
  );
}
