import pg from 'pg';
import { PRISMA_SERVICES, databaseName, databaseUrl, type PrismaService } from './databases.ts';
import { runPrismaOrThrow } from './cli.ts';

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
      const run = await runPrismaOrThrow(service, ['migrate', 'deploy'], url);
      const applied = /(\d+) migrations? found/.exec(run.stdout)?.[1] ?? '?';
      options.log?.(`${service}: ${name} up to date (${applied} migrations)`);
      urls[service] = url;
    }),
  );
  return urls;
}
