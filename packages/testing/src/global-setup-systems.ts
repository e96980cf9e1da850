import type { TestProject } from 'vitest/node';
import { generateAll } from '@shop/prisma/generate';
import { ensureStack } from '@shop/stack';

/**
 * Whole-system tests (each starts a system with databases of its own prefix, or a private
 * broker) need the stack and the Prisma clients, not the shared test databases: this setup
 * leaves those alone, so the project can run beside the integration project (scripts/test.sh).
 */
export default async function setup(project: TestProject): Promise<void> {
  project.provide('stack', await stackWithClients());
}

/** The running stack (started when it is not) and the generated Prisma clients. */
export async function stackWithClients() {
  const stack = await ensureStack({ verbose: true });
  await generateAll();
  return stack;
}
