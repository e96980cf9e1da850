import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRISMA_SERVICES } from '../src/databases.ts';
import { PRISMA_ROOT } from '../src/cli.ts';

/**
 * Through the pg driver adapter, `prisma migrate deploy` splits a migration at every `;`,
 * comments included, and then fails with a baffling "syntax error at or near ...". Catch it here
 * with a message that says what to change.
 */
describe('migration files', () => {
  for (const service of PRISMA_SERVICES) {
    const dir = path.join(PRISMA_ROOT, service, 'migrations');
    for (const folder of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      it(`${service}/${folder.name} has no ';' inside a comment`, () => {
        const sql = readFileSync(path.join(dir, folder.name, 'migration.sql'), 'utf8');
        const offending = sql
          .split('\n')
          .map((line, i) => ({ line, n: i + 1 }))
          .filter(({ line }) => /--.*;/.test(line));
        expect(
          offending.map((o) => `line ${o.n}: ${o.line.trim()}`),
          'rephrase these comments without ";"',
        ).toEqual([]);
      });
    }
  }
});
