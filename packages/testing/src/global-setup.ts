import type { TestProject } from 'vitest/node';
import { generateAll } from '@shop/prisma/generate';
import { migrateAll } from '@shop/prisma/migrate';
import { ensureStack } from '@shop/stack';
import { TEST_PREFIX } from './test-env.ts';

/**
 * Integration tests run against the real local stack: this brings it up when needed (a no-op
 * when it runs), generates the Prisma clients and migrates the test databases once per run.
 */
export default async function setup(project: TestProject): Promise<void> {
  const stack = await ensureStack({ verbose: true });
  await generateAll();
  await migrateAll({ serverUrl: stack.postgres.url, prefix: TEST_PREFIX });
  project.provide('stack', stack);
}
