import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { migrateAll } from '@shop/prisma/migrate';
import { loadCheckoutSetup } from '@shop/seed';
import { stackWithClients } from './global-setup-systems.ts';
import { TEST_PREFIX } from './test-env.ts';

/**
 * Event tables of the test databases start empty each run. The databases outlive a run (and
 * may be shared with earlier runs on the same server) while Kafka may be brand new: a pending
 * row left for a topic of an earlier run would hold up every relay test that shares the table.
 */
async function clearEventTables(databaseUrls: string[]): Promise<void> {
  for (const url of databaseUrls) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query<{ name: string }>(
        `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' AND tablename IN ('outbox_events', 'inbox')`,
      );
      if (rows.length) await client.query(`TRUNCATE ${rows.map((r) => `"${r.name}"`).join(', ')}`);
    } finally {
      await client.end();
    }
  }
}

/**
 * Integration tests run against the real local stack: this brings it up when needed (a no-op
 * when it runs), generates the Prisma clients and migrates the test databases once per run.
 */
export default async function setup(project: TestProject): Promise<void> {
  const stack = await stackWithClients();
  const urls = await migrateAll({ serverUrl: stack.postgres.url, prefix: TEST_PREFIX });
  await clearEventTables(Object.values(urls));
  // Zones, methods, tax rates and the seeded codes: a checkout works in every test that places
  // an order (left as it is when an earlier run loaded it).
  await loadCheckoutSetup({ orderUrl: urls.order, catalogUrl: urls.catalog });
  project.provide('stack', stack);
}
