// The benchmarks' system is the shared one of scripts/lib (the browser tests start it too).
import pg from 'pg';
import { databaseName, databaseUrl } from '@shop/prisma/databases';
import { createKafka } from '@shop/kafka';
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

/**
 * The broker is shared (the test suite's systems, `npm start`): the topics a benchmark system's
 * consumer groups read hold what other systems published since the last run, thousands of
 * events after a test run, and the groups would work them off while the benchmark measures
 * (the email worker spent 160 ms of CPU a second at "idle" doing so). A fresh deployment has no
 * such history: the system's groups start at the end of their topics.
 */
async function skipForeignBacklog(prefix: string): Promise<void> {
  const stack = await ensureStack({ verbose: false });
  const admin = createKafka({ clientId: 'bench-backlog', brokers: stack.kafka.brokers }).admin();
  await admin.connect();
  try {
    const { groups } = await admin.listGroups();
    for (const { groupId } of groups.filter((g) => g.groupId.startsWith(`${prefix}-`))) {
      for (const { topic } of await admin.fetchOffsets({ groupId })) {
        const ends = await admin.fetchTopicOffsets(topic);
        await admin.setOffsets({
          groupId,
          topic,
          partitions: ends.map(({ partition, high }) => ({ partition, offset: high })),
        });
      }
    }
  } finally {
    await admin.disconnect();
  }
}

export async function startBenchSystem(options: SystemOptions) {
  await clearLeftovers(options.prefix);
  await skipForeignBacklog(options.prefix);
  return startSystem({
    ...options,
    env: { ...options.env, carrier: { ...carrierLater, ...options.env?.carrier } },
  });
}
