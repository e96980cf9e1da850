import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

/**
 * Prisma's CLI normally downloads native engines, which cannot be fetched on these machines.
 * With `engine: 'js'` and a driver adapter, the CLI runs its WebAssembly schema engine over
 * `pg` instead. @prisma/adapter-pg must be 7.x: 6.19's adapter cannot deserialize PostgreSQL's
 * `name` type and `migrate deploy` fails. Prisma 7 dropped this config, so the CLI stays on 6.19.
 */
export function definePrismaConfig(dir: string) {
  return defineConfig({
    experimental: { adapter: true },
    engine: 'js',
    schema: path.join(dir, 'schema.prisma'),
    migrations: { path: path.join(dir, 'migrations') },
    adapter: async () => {
      const connectionString = process.env.DATABASE_URL;
      if (!connectionString) throw new Error('DATABASE_URL is not set');
      return new PrismaPg({ connectionString });
    },
  });
}
