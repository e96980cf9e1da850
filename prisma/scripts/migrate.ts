import { migrateAll } from '../src/migrate.ts';

const serverUrl = process.env.POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const prefix = process.env.DATABASE_PREFIX ?? 'shop';
try {
  await migrateAll({ serverUrl, prefix, log: (line) => console.log(line) });
} catch (error) {
  console.error(`migrate: ${(error as Error).message}`);
  process.exit(1);
}
