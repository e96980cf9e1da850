import pg from 'pg';
import type { PrismaService } from '@shop/prisma/databases';
import type { TestEnv } from './test-env.ts';

/**
 * Runs `work` with a plain SQL connection to one service's test database, for tests that must
 * change data behind a service's back (a catalog price change, an order finished by the saga).
 */
export async function withServiceDb<T>(
  env: TestEnv,
  service: PrismaService,
  work: (db: pg.Client) => Promise<T>,
): Promise<T> {
  const db = new pg.Client({ connectionString: env.databaseUrl(service) });
  await db.connect();
  try {
    return await work(db);
  } finally {
    await db.end();
  }
}
