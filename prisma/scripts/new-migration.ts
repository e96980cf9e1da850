/**
 * Writes the next migration of one service: the SQL between the schema as of its last
 * migration (kept in schema.migrated.prisma) and the current schema.prisma. `migrate dev`
 * would need a shadow database, which the driver adapter cannot manage here.
 * Usage: npm run new-migration -w @shop/prisma -- <service> <name>
 */
import { copyFile, mkdir, readdir, writeFile, access } from 'node:fs/promises';
import path from 'node:path';
import { PRISMA_ROOT, runPrismaOrThrow } from '../src/cli.ts';

const [service, name] = process.argv.slice(2);
if (!service || !name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: new-migration <catalog|user|cart|order|notifications> <snake_case_name>');
  process.exit(2);
}
const dir = path.join(PRISMA_ROOT, service);
const snapshot = path.join(dir, 'schema.migrated.prisma');
const hasSnapshot = await access(snapshot).then(
  () => true,
  () => false,
);
const from = hasSnapshot ? ['--from-schema-datamodel', snapshot] : ['--from-empty'];
const serverUrl = process.env.POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const run = await runPrismaOrThrow(
  service,
  [
    'migrate',
    'diff',
    ...from,
    '--to-schema-datamodel',
    path.join(dir, 'schema.prisma'),
    '--script',
  ],
  serverUrl,
);
const sql = run.stdout.replace(/^Loaded Prisma config.*\n/m, '').trim();
if (!sql || sql === '-- This is an empty migration.') {
  console.log(`${service}: schema unchanged, no migration written`);
  process.exit(0);
}
const migrations = path.join(dir, 'migrations');
await mkdir(migrations, { recursive: true });
const count = (await readdir(migrations)).filter((f) => /^\d{4}_/.test(f)).length;
const folder = path.join(migrations, `${String(count + 1).padStart(4, '0')}_${name}`);
await mkdir(folder);
await writeFile(path.join(folder, 'migration.sql'), sql + '\n');
await writeFile(path.join(migrations, 'migration_lock.toml'), 'provider = "postgresql"\n');
await copyFile(path.join(dir, 'schema.prisma'), snapshot);
console.log(`${service}: wrote ${path.relative(PRISMA_ROOT, folder)}/migration.sql`);
