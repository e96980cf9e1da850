// The benchmarks' system is the shared one of scripts/lib (the browser tests start it too).
import pg from 'pg';
import { databaseName, databaseUrl } from '@shop/prisma/databases';
import { ensureStack } from '@shop/stack';
import { startSystem, type SystemOptions } from '../../scripts/lib/system.ts';

export type { RunningSystem as BenchSystem } from '../../scripts/lib/system.ts';

// Benchmarks measure the services with tracing off unless TRACING_ENABLED says otherwise:
// their figures compare with earlier runs, and tracing's own cost is measured apart, side by
// side (off, 100 %, 1 %). scripts/lib/app-services.ts reads the setting when a system starts.
process.env.TRACING_ENABLED ??= 'false';

/**
 * The carrier packs, ships and delivers a completed order after seconds by default (a demo you
 * can watch). A shop ships hours after payment, so the benchmarks' carrier waits ten minutes:
 * the order path is measured without the fulfilment of earlier orders running beside it (the
 * carrier still takes each OrderCompleted and schedules its parcel).
 */
const LATER = String(10 * 60_000);
const carrierLater = { CARRIER_PACK_DELAY_MS: LATER };

/**
 * A benchmark's databases outlive it (the next run reuses them): emails its orders left unsent
 * and parcels still scheduled would be worked off during the next run's idle measurement.
 */
async function clearLeftovers(prefix: string): Promise<void> {
  const stack = await ensureStack({ verbose: false });
  const leftovers: [database: 'notifications' | 'order', statement: string][] = [
    ['notifications', 'TRUNCATE emails'],
    ['order', 'UPDATE carrier_schedule SET next_step = NULL WHERE next_step IS NOT NULL'],
  ];
  for (const [database, statement] of leftovers) {
    const client = new pg.Client({
      connectionString: databaseUrl(stack.postgres.url, databaseName(database, prefix)),
    });
    try {
      await client.connect();
      await client.query(statement);
    } catch (error) {
      // A first run: no database or table yet, nothing left over.
      if (!['3D000', '42P01'].includes((error as { code?: string }).code ?? '')) throw error;
    } finally {
      await client.end().catch(() => {});
    }
  }
}

export async function startBenchSystem(options: SystemOptions) {
  await clearLeftovers(options.prefix);
  return startSystem({
    ...options,
    env: { ...options.env, carrier: { ...carrierLater, ...options.env?.carrier } },
  });
}
