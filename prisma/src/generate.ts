import { createHash } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PRISMA_SERVICES, type PrismaService } from './databases.ts';
import { PRISMA_ROOT, runPrismaOrThrow } from './cli.ts';

// generate never connects, but the schema's datasource still reads the variable.
const PLACEHOLDER_URL = 'postgresql://postgres@127.0.0.1:5432/postgres';

async function schemaHash(service: PrismaService): Promise<string> {
  const schema = await readFile(path.join(PRISMA_ROOT, service, 'schema.prisma'));
  const cli = await readFile(path.join(PRISMA_ROOT, 'package.json'));
  return createHash('sha256').update(schema).update(cli).digest('hex');
}

/** Generates each service's Prisma client, skipping those whose schema did not change. */
export async function generateAll(log: (line: string) => void = () => {}, force = false) {
  await Promise.all(
    PRISMA_SERVICES.map(async (service) => {
      const stamp = path.join(PRISMA_ROOT, service, 'generated', '.schema-hash');
      const hash = await schemaHash(service);
      const previous = await readFile(stamp, 'utf8').catch(() => '');
      if (!force && previous === hash) return;
      await runPrismaOrThrow(service, ['generate'], PLACEHOLDER_URL);
      await writeFile(stamp, hash);
      log(`${service}: client generated`);
    }),
  );
}
