import { readdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { PRISMA_SERVICES, databaseName, databaseUrl, type PrismaService } from './databases.ts';
import { PRISMA_ROOT, runPrismaOrThrow } from './cli.ts';

export interface MigrateOptions {
  /** A URL of the PostgreSQL server; its database part is ignored. */
  serverUrl: string;
  /** Database name prefix: `shop` for the running system, `shoptest` for tests. */
  prefix?: string;
  services?: readonly PrismaService[];
  log?: (line: string) => void;
}

async function ensureDatabase(serverUrl: string, name: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(serverUrl, 'postgres') });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      try {
        await client.query(`CREATE DATABASE "${name}"`);
      } catch (error) {
        // Two migrators racing to create the same database: the loser sees 42P04 or 23505.
        const code = (error as { code?: string }).code;
        if (code !== '42P04' && code !== '23505') throw error;
      }
    }
  } finally {
    await client.end();
  }
}

/**
 * True when every migration folder is recorded as applied. `prisma migrate deploy` through the
 * WebAssembly engine takes seconds even with nothing to do; this check takes milliseconds, and
 * anything it is unsure about (no table, a failed or unknown row) falls back to the CLI.
 */
async function upToDate(url: string, service: PrismaService): Promise<boolean> {
  const folders = (
    await readdir(path.join(PRISMA_ROOT, service, 'migrations'), { withFileTypes: true })
  )
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const table = await client.query(`SELECT to_regclass('_prisma_migrations') AS t`);
    if (!table.rows[0]?.t) return false;
    const rows = await client.query<{ migration_name: string; ok: boolean }>(
      `SELECT migration_name, (finished_at IS NOT NULL AND rolled_back_at IS NULL) AS ok FROM _prisma_migrations`,
    );
    const applied = new Set(rows.rows.filter((r) => r.ok).map((r) => r.migration_name));
    const failed = rows.rows.some((r) => !r.ok);
    return !failed && folders.every((name) => applied.has(name));
  } finally {
    await client.end();
  }
}

/** Creates each service's database when missing and applies its pending migrations. */
export async function migrateAll(options: MigrateOptions): Promise<Record<PrismaService, string>> {
  const prefix = options.prefix ?? 'shop';
  const services = options.services ?? PRISMA_SERVICES;
  const urls = {} as Record<PrismaService, string>;
  await Promise.all(
    services.map(async (service) => {
      const name = databaseName(service, prefix);
      const url = databaseUrl(options.serverUrl, name);
      await ensureDatabase(options.serverUrl, name);
      urls[service] = url;
      if (await upToDate(url, service)) {
        options.log?.(`${service}: ${name} up to date`);
        return;
      }
      const run = await runPrismaOrThrow(service, ['migrate', 'deploy'], url);
      const found = /(\d+) migrations? found/.exec(run.stdout)?.[1] ?? '?';
      options.log?.(`${service}: ${name} migrated (${found} migrations)`);
    }),
  );
  return urls;
}
