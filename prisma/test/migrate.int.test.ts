import pg from 'pg';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { testEnv } from '@shop/testing';
import { PRISMA_SERVICES, databaseName, databaseUrl } from '../src/databases.ts';
import { migrateAll } from '../src/migrate.ts';

const serverUrl = testEnv(inject('stack')).stack.postgres.url;
const prefix = 'shopmigtest';

async function sql<T extends pg.QueryResultRow>(database: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, database) });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

afterAll(async () => {
  for (const service of PRISMA_SERVICES)
    await sql(
      'postgres',
      `DROP DATABASE IF EXISTS "${databaseName(service, prefix)}" WITH (FORCE)`,
    );
});

describe('migrateAll', () => {
  it('creates each service database and applies its migrations, then finds nothing to do', async () => {
    const first: string[] = [];
    await migrateAll({ serverUrl, prefix, log: (l) => first.push(l) });
    expect(first).toHaveLength(PRISMA_SERVICES.length);
    for (const service of PRISMA_SERVICES)
      expect(first).toContainEqual(
        expect.stringMatching(
          new RegExp(`^${service}: ${prefix}_${service} migrated \\(\\d+ migrations\\)$`),
        ),
      );

    const tables = await sql<{ tablename: string }>(
      databaseName('catalog', prefix),
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    );
    expect(tables.map((t) => t.tablename)).toEqual([
      '_prisma_migrations',
      'categories',
      'inbox',
      'outbox_events',
      'product_views',
      'products',
      'reviews',
      'sellers',
      'stock_reservations',
      'stock_restocks',
    ]);

    const second: string[] = [];
    await migrateAll({ serverUrl, prefix, log: (l) => second.push(l) });
    expect(second.every((l) => l.endsWith('up to date'))).toBe(true);
  }, 120_000);

  it('lets the database refuse negative stock and out-of-range ratings', async () => {
    const db = databaseName('catalog', prefix);
    await sql(
      db,
      `INSERT INTO categories (id, slug, name) VALUES ('00000000-0000-4000-8000-000000000001', 'c', 'C')`,
    );
    await sql(
      db,
      `INSERT INTO sellers (id, slug, name) VALUES ('00000000-0000-4000-8000-000000000002', 's', 'S')`,
    );
    const insert = (stock: number) =>
      sql(
        db,
        `INSERT INTO products (id, sku, name, price, stock, category_id, seller_id, updated_at)
               VALUES (gen_random_uuid(), 'sku-${stock}', 'P', 1, ${stock}, '00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002', now())`,
      );
    await expect(insert(-1)).rejects.toThrow(/products_stock_nonnegative/);
    await expect(insert(3)).resolves.toBeDefined();
  });
});
